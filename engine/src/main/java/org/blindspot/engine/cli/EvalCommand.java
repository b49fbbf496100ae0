package org.blindspot.engine.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Split;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.train.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code blindspot eval}: train and test error of a saved model. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Print the train and test error of a model.")
final class EvalCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() {
        ModelFile.Loaded loaded = model.load(28 * 28);
        Split trainSplit = loaded.metadata() != null && loaded.metadata().split() != null
                ? Split.parse(loaded.metadata().split()) : Split.TRAIN;
        Dataset train = data.load(trainSplit);
        Dataset test = data.load(Split.TEST);
        double trainError = Evaluation.errorRate(loaded.classifier(), train.features(DataType.FLOAT), train.labels());
        double testError = Evaluation.errorRate(loaded.classifier(), test.features(DataType.FLOAT), test.labels());
        String name = ModelOptions.name(loaded);
        System.out.printf(Locale.ROOT, "model       %s%n", name);
        System.out.printf(Locale.ROOT, "train error %.2f%% (%s, %d images)%n", 100 * trainError, trainSplit.key(),
                train.count());
        System.out.printf(Locale.ROOT, "test error  %.2f%% (test, %d images)%n", 100 * testError, test.count());
        return 0;
    }
}
