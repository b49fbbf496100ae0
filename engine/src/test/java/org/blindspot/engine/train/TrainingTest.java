package org.blindspot.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Mnist;
import org.blindspot.engine.data.Split;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelSpec;
import org.blindspot.engine.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Zoo models trained on a few thousand MNIST images reach a stated error, deterministically. */
class TrainingTest {

    private static Dataset train;
    private static Dataset test;

    @BeforeAll
    static void load() {
        train = Mnist.load(TestData.mnist(), Split.TRAIN).first(5000);
        test = Mnist.load(TestData.mnist(), Split.TEST).first(2000);
    }

    @Test
    void fc100_100_10OnFiveThousandImagesReachesUnderEightPercentTestError() {
        DenseNetwork net = train("fc100-100-10", TrainOptions.defaults().withEpochs(15).withBatchSize(32).withLearningRate(0.01));
        double error = Evaluation.errorRate(net, test.features(DataType.FLOAT), test.labels());
        assertTrue(error < 0.08, "test error " + error);
        double trainError = Evaluation.errorRate(net, train.features(DataType.FLOAT), train.labels());
        assertTrue(trainError < error, "train error " + trainError + " should be below test error " + error);
    }

    @Test
    void strongerWeightDecayGivesHigherError() {
        TrainOptions options = TrainOptions.defaults().withEpochs(10);
        double weak = Evaluation.errorRate(train("fc10-1e-4", options), test.features(DataType.FLOAT), test.labels());
        double strong = Evaluation.errorRate(train("fc10-1", options), test.features(DataType.FLOAT), test.labels());
        assertTrue(weak < 0.15, "fc10-1e-4 test error " + weak);
        assertTrue(strong > weak + 0.03, "fc10-1 " + strong + " vs fc10-1e-4 " + weak);
    }

    @Test
    void fullBatchLbfgsTrainsASoftmaxLikeThePaper() {
        List<Double> losses = new ArrayList<>();
        TrainOptions options = TrainOptions.defaults().withMethod(TrainOptions.Method.LBFGS).withMaxIterations(60);
        DenseNetwork net = new ModelTrainer(options, (stage, done, total, loss) -> losses.add(loss))
                .train(ModelSpec.named("fc10-1e-2", Activation.SIGMOID), train.features(DataType.FLOAT),
                        train.labels(), 10);
        double error = Evaluation.errorRate(net, test.features(DataType.FLOAT), test.labels());
        assertTrue(error < 0.15, "test error " + error);
        assertTrue(losses.get(losses.size() - 1) < 0.5 * losses.get(0), "loss " + losses.get(0) + " -> "
                + losses.get(losses.size() - 1));
    }

    @Test
    void theSameSeedGivesTheSameNetwork() {
        TrainOptions options = TrainOptions.defaults().withEpochs(1).withSeed(9);
        Dataset small = train.first(1000);
        INDArray x = small.features(DataType.FLOAT);
        DenseNetwork a = new ModelTrainer(options, TrainingListener.NONE)
                .train(ModelSpec.named("fc30-10", Activation.SIGMOID), x, small.labels(), 10);
        DenseNetwork b = new ModelTrainer(options, TrainingListener.NONE)
                .train(ModelSpec.named("fc30-10", Activation.SIGMOID), x, small.labels(), 10);
        DenseNetwork c = new ModelTrainer(options.withSeed(10), TrainingListener.NONE)
                .train(ModelSpec.named("fc30-10", Activation.SIGMOID), x, small.labels(), 10);
        assertEquals(a.layers().get(0).weights(), b.layers().get(0).weights());
        assertFalse(a.layers().get(0).weights().equals(c.layers().get(0).weights()));
    }

    @Test
    void ae400_10TrainsItsSoftmaxOnAFrozenAutoencoder() {
        Dataset small = train.first(2000);
        List<Double> autoencoderLoss = new ArrayList<>();
        DenseNetwork net = new ModelTrainer(TrainOptions.defaults().withEpochs(8).withBatchSize(32)
                .withLearningRate(0.01), (stage, done, total, loss) -> {
                    if (stage.equals("autoencoder")) {
                        autoencoderLoss.add(loss);
                    }
                })
                .train(ModelSpec.named("ae400-10", Activation.SIGMOID), small.features(DataType.FLOAT),
                        small.labels(), 10);
        assertFalse(net.layers().get(0).trainable());
        assertTrue(autoencoderLoss.get(autoencoderLoss.size() - 1) < 0.5 * autoencoderLoss.get(0),
                "autoencoder loss " + autoencoderLoss.get(0) + " -> " + autoencoderLoss.get(autoencoderLoss.size() - 1));
        double error = Evaluation.errorRate(net, test.features(DataType.FLOAT), test.labels());
        assertTrue(error < 0.2, "test error " + error);
    }

    @Test
    void sparseAutoencoderGradientMatchesFiniteDifferences() {
        SparseAutoencoderTrainer trainer = new SparseAutoencoderTrainer(TrainOptions.defaults(),
                SparseAutoencoderTrainer.Settings.defaults(), TrainingListener.NONE);
        Random random = new Random(4);
        int m = 12;
        int h = 5;
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, m);
        INDArray[] params = {Nd4j.randn(DataType.DOUBLE, m, h).muli(0.3), Nd4j.randn(DataType.DOUBLE, 1, h).muli(0.1),
                Nd4j.randn(DataType.DOUBLE, h, m).muli(0.3), Nd4j.randn(DataType.DOUBLE, 1, m).muli(0.1)};
        INDArray[] grads = new INDArray[params.length];
        for (int p = 0; p < params.length; p++) {
            grads[p] = Nd4j.zerosLike(params[p]);
        }
        trainer.lossAndGradients(x, params, grads);
        INDArray[] scratch = new INDArray[params.length];
        for (int p = 0; p < params.length; p++) {
            scratch[p] = Nd4j.zerosLike(params[p]);
        }
        double step = 1e-6;
        for (int p = 0; p < params.length; p++) {
            for (int trial = 0; trial < 5; trial++) {
                int r = random.nextInt((int) params[p].rows());
                int c = random.nextInt((int) params[p].columns());
                double saved = params[p].getDouble(r, c);
                params[p].putScalar(r, c, saved + step);
                double up = trainer.lossAndGradients(x, params, scratch);
                params[p].putScalar(r, c, saved - step);
                double down = trainer.lossAndGradients(x, params, scratch);
                params[p].putScalar(r, c, saved);
                double numeric = (up - down) / (2 * step);
                assertEquals(numeric, grads[p].getDouble(r, c), 1e-6 * (1 + Math.abs(numeric)), "param " + p);
            }
        }
    }

    private static DenseNetwork train(String name, TrainOptions options) {
        return new ModelTrainer(options, TrainingListener.NONE).train(ModelSpec.named(name, Activation.SIGMOID),
                train.features(DataType.FLOAT), train.labels(), 10);
    }
}
