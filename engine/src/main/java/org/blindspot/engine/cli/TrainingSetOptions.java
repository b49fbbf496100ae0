package org.blindspot.engine.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Split;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.model.ModelMetadata;
import org.blindspot.engine.model.ModelSpec;
import org.blindspot.engine.runtime.BackendInfo;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The training images of {@code train} and {@code adv-train} (never the test set), and saving the result. */
final class TrainingSetOptions {

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "all",
            description = "Training images: all (the 60,000), p1 (0..29,999), p2 (30,000..59,999). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--first", paramLabel = "N", description = "Train on the first N images of the split only.")
    Integer first;

    /** The chosen split; training on the test set is refused. */
    Split split() {
        Split s = Split.parse(split);
        if (s == Split.TEST) {
            throw new IllegalArgumentException("--split: training on the test set is not allowed; use all, p1 or p2");
        }
        return s;
    }

    /** The training images: the split, or its first --first images. */
    Dataset load() {
        Dataset train = data.load(split());
        return first != null ? train.first(first) : train;
    }

    /** The test set, for the test error. */
    Dataset test() {
        return data.load(Split.TEST);
    }

    /** Saves {@code network} in {@code out} with its metadata ({@code training}: how it was trained). */
    void save(Path out, ModelSpec spec, DenseNetwork network, int trainImages, long seed, Map<String, Object> training,
              double trainError, double testError) {
        ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT, spec.name(), spec.hidden(),
                spec.activation().id(), spec.weightDecay(), spec.autoencoder(), network.inputSize(),
                network.numClasses(), split().key(), trainImages, seed, training, trainError, testError,
                BackendInfo.current().oneLine(), BackendInfo.version(), Instant.now().toString());
        ModelFile.save(out, network, metadata);
    }
}
