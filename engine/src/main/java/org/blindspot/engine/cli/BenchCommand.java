package org.blindspot.engine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.attack.TargetRule;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Split;
import org.blindspot.engine.io.Folders;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.model.ModelMetadata;
import org.blindspot.engine.model.ModelSpec;
import org.blindspot.engine.run.AttackJob;
import org.blindspot.engine.runtime.BackendInfo;
import org.blindspot.engine.train.Evaluation;
import org.blindspot.engine.train.ModelTrainer;
import org.blindspot.engine.train.TrainOptions;
import org.blindspot.engine.train.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code blindspot bench}: the standard workload for comparing machines and backends. The model is
 * FC100-100-10 (sigmoid) trained by the command itself on the first 6,000 training images (Adam,
 * 10 epochs, batch 32, step 0.01, seed 1; cached in ~/.cache/blindspot/bench), or {@code --model};
 * the workload is the L-BFGS attack with default settings, target next, on the first 1,000 test
 * images. It runs twice in the same JVM and reports the second run: the first is the JIT's warm-up (HotSpot
 * compiles the solver while it runs, on the same cores), so its rate says as much about the compiler as about
 * the machine; it is printed too. {@code --cold} makes one run only.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "The standard workload: examples/s, evaluations/s and the backend.",
        description = {"The standard workload: attack the first 1,000 MNIST test images of a fixed FC100-100-10",
                "(target next, default settings) and print examples/s, gradient evaluations/s and the backend.",
                "The workload runs twice; the figures are the second run's, after the first warmed the JIT up."})
final class BenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    DataOptions data;

    @Option(names = "--model", paramLabel = "PATH", description = "Attack this model instead of the standard one.")
    Path model;

    @Option(names = "--images", defaultValue = "1000", description = "Test images attacked (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--batch", defaultValue = "1024", description = "Solver slots (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", description = "Solver threads (default: the number of processors).")
    Integer threads;

    @Option(names = "--cold", description = "One run only, the JIT's warm-up included in the figures.")
    boolean cold;

    @Override
    public Integer call() throws IOException {
        Dataset test = data.load(Split.TEST);
        Classifier network = model != null ? ModelFile.load(model, Activation.SIGMOID, test.inputSize()).network("bench")
                : standardModel(test);
        AttackOptions options = AttackOptions.defaults().withBatch(batch);
        if (threads != null) {
            options = options.withThreads(threads);
        }
        int[] indices = new int[Math.min(images, test.count())];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        Map<String, Object> describe = new LinkedHashMap<>();
        describe.put("model", model == null ? "standard" : model.toString());
        describe.put("bench", Instant.now().toString());
        AttackJob.Spec spec = new AttackJob.Spec(indices, indices.length, false, TargetRule.parse("next"), Double.NaN,
                1, options, describe);
        BackendInfo backend = BackendInfo.current();
        System.err.printf(Locale.ROOT, "bench: attacking %d test images, batch %d, %d solver thread(s), on %s%n",
                indices.length, batch, options.threads(), backend.oneLine());
        Map<String, Object> first = attack(network, test, spec, cold ? "bench" : "warm-up");
        Map<String, Object> s = cold ? first : attack(network, test, spec, "bench");
        double seconds = (double) s.get("wall_seconds");
        long evaluations = ((Number) s.get("gradient_evaluations")).longValue();
        System.out.printf(Locale.ROOT, "backend          %s%n", backend.oneLine());
        System.out.printf(Locale.ROOT, "java             %s%n", BackendInfo.jvm());
        String warmUp = cold ? ", the JIT's warm-up included" : String.format(Locale.ROOT,
                "; the first run, which warmed the JIT up: %.1f", indices.length / (double) first.get("wall_seconds"));
        System.out.printf(Locale.ROOT, "examples/s       %.1f (%d images in %.2f s%s)%n", indices.length / seconds,
                indices.length, seconds, warmUp);
        System.out.printf(Locale.ROOT, "gradient evals/s %.0f (%.1f per example)%n", evaluations / seconds,
                evaluations / (double) indices.length);
        System.out.printf(Locale.ROOT, "model share      %.0f%% of the wall time%n",
                100 * ((Number) s.get("model_seconds")).doubleValue() / seconds);
        System.out.printf(Locale.ROOT, "success          %.1f%%, mean RMS distortion %.4f%n",
                100 * ((Number) s.get("success_rate")).doubleValue(),
                ((Number) s.get("mean_rms_distortion")).doubleValue());
        return 0;
    }

    /** One run of the workload in a scratch folder; its summary. */
    private static Map<String, Object> attack(Classifier network, Dataset test, AttackJob.Spec spec, String label)
            throws IOException {
        Path scratch = Files.createTempDirectory("blindspot-bench");
        try (ProgressBar bar = new ProgressBar(label)) {
            return AttackJob.run(network, test, spec, scratch, false, bar::update, text -> { }).summary();
        } finally {
            Folders.deleteRecursively(scratch);
        }
    }

    private Classifier standardModel(Dataset test) {
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "blindspot", "bench", "fc100-100-10-6k");
        if (Files.exists(dir.resolve(ModelFile.METADATA))) {
            ModelFile.Loaded cached = ModelFile.load(dir, Activation.SIGMOID, test.inputSize());
            Map<String, Object> training = cached.metadata().training();
            if (training != null && DenseLayer.PENALTY_FORM.equals(training.get("weight_decay_penalty"))) {
                return cached.network();
            }
            System.err.println("bench: the cached standard model was trained with another weight decay; retraining");
        }
        System.err.println("bench: training the standard model (once; cached in " + dir + ")");
        Dataset train = data.load(Split.TRAIN).first(6000);
        ModelSpec spec = ModelSpec.named("fc100-100-10", Activation.SIGMOID);
        TrainOptions options = TrainOptions.defaults().withEpochs(10).withBatchSize(32).withLearningRate(0.01);
        DenseNetwork network = new ModelTrainer(options, TrainingListener.NONE)
                .train(spec, train.features(DataType.FLOAT), train.labels(), Dataset.CLASSES);
        double testError = Evaluation.errorRate(network, test.features(DataType.FLOAT), test.labels());
        ModelFile.save(dir, network, new ModelMetadata(ModelMetadata.FORMAT, spec.name(), spec.hidden(),
                spec.activation().id(), spec.weightDecay(), false, network.inputSize(), network.numClasses(), "train",
                train.count(), 1L, Map.of("method", "adam", "epochs", 10, "weight_decay_penalty",
                DenseLayer.PENALTY_FORM), null, testError,
                BackendInfo.current().oneLine(), BackendInfo.version(), Instant.now().toString()));
        return network;
    }

}
