package org.blindspot.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Split;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.model.ModelSpec;
import org.blindspot.engine.runtime.BackendInfo;
import org.blindspot.engine.train.Evaluation;
import org.blindspot.engine.train.ModelTrainer;
import org.blindspot.engine.train.TrainOptions;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code blindspot train}: trains a model of the paper's zoo and saves it with its metadata. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model of the paper's zoo (or any fc<h1>-...-10) on MNIST and save it.",
                "Zoo: fc10-1e-4, fc10-1e-2, fc10-1, fc100-100-10, fc200-200-10, fc123-456-10, ae400-10."})
final class TrainCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    TrainingSetOptions trainingSet;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Zoo name or fc<h1>-<h2>-...-10.")
    String model;

    @Option(names = "--activation", defaultValue = "sigmoid",
            description = "Hidden activation of fc<...> models: sigmoid, relu, tanh (default: ${DEFAULT-VALUE}).")
    String activation;



    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to save the model in.")
    Path out;

    @Option(names = "--method", defaultValue = "adam",
            description = "adam (minibatch, fast) or lbfgs (full batch, the paper's). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--epochs", defaultValue = "" + TrainOptions.DEFAULT_EPOCHS, description = "Adam epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "" + TrainOptions.DEFAULT_BATCH, description = "Adam minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--learning-rate", defaultValue = "" + TrainOptions.DEFAULT_LEARNING_RATE, description = "Adam step (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--max-iterations", defaultValue = "" + TrainOptions.DEFAULT_MAX_ITERATIONS,
            description = "L-BFGS iteration limit (default: ${DEFAULT-VALUE}).")
    int maxIterations;

    @Option(names = "--seed", defaultValue = "1", description = "Initialisation and shuffling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        ModelSpec spec = ModelSpec.named(model, Activation.parse(activation));
        Split trainSplit = trainingSet.split();
        TrainOptions options = new TrainOptions(TrainOptions.Method.valueOf(method.toUpperCase(Locale.ROOT)),
                epochs, batch, learningRate, maxIterations, seed);
        if (Files.exists(out.resolve(ModelFile.METADATA))) {
            System.err.println("note: replacing the model in " + out);
        }
        Dataset train = trainingSet.load();
        Dataset test = trainingSet.test();
        INDArray features = train.features(ModelTrainer.dataType());
        System.err.printf(Locale.ROOT, "training %s on %d images (%s) with %s on %s%n", spec, train.count(),
                trainSplit.key(), options.method().name().toLowerCase(Locale.ROOT), BackendInfo.current().oneLine());

        long start = System.nanoTime();
        DenseNetwork network;
        try (ProgressBar bar = new ProgressBar("train")) {
            network = new ModelTrainer(options, (stage, done, total, loss) ->
                    bar.update(done, total, String.format(Locale.ROOT, "%s loss %.4f", stage, loss)))
                    .train(spec, features, train.labels(), Dataset.CLASSES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double trainError = Evaluation.errorRate(network, features, train.labels());
        double testError = Evaluation.errorRate(network, test.features(ModelTrainer.dataType()), test.labels());

        Map<String, Object> training = new LinkedHashMap<>();
        training.put("method", options.method().name().toLowerCase(Locale.ROOT));
        training.put("weight_decay_penalty", DenseLayer.PENALTY_FORM);
        training.put("epochs", options.epochs());
        training.put("batch", options.batchSize());
        training.put("learning_rate", options.learningRate());
        training.put("max_iterations", options.maxIterations());
        training.put("seconds", Math.round(seconds * 10) / 10.0);
        trainingSet.save(out, spec, network, train.count(), seed, training, trainError, testError);
        System.out.printf(Locale.ROOT, "%s: train error %.2f%%, test error %.2f%%, %.1f s; saved to %s%n",
                spec.name(), 100 * trainError, 100 * testError, seconds, out);
        return 0;
    }
}
