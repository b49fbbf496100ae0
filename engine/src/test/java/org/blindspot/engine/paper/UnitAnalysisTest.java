package org.blindspot.engine.paper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Mnist;
import org.blindspot.engine.data.Split;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelSpec;
import org.blindspot.engine.testing.TestData;
import org.blindspot.engine.train.ModelTrainer;
import org.blindspot.engine.train.TrainOptions;
import org.blindspot.engine.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class UnitAnalysisTest {

    @Test
    void topAndPurityOnKnownValues() {
        double[][] rows = {{1, 0}, {0, 3}, {2, 1}, {-1, 5}};
        assertArrayEquals(new int[] {2, 0}, UnitAnalysis.top(rows, new double[] {1, 0}, 2));
        assertArrayEquals(new int[] {3, 1, 2}, UnitAnalysis.top(rows, new double[] {0, 1}, 3));
        int[] labels = {4, 4, 7, 4, 1};
        assertEquals(0.75, UnitAnalysis.purity(new int[] {0, 1, 2, 3}, labels));
        assertEquals(1.0, UnitAnalysis.purity(new int[] {2}, labels));
    }

    @Test
    void directionsOfATrainedLayerAreFarPurerThanChance() {
        Dataset train = Mnist.load(TestData.mnist(), Split.TRAIN).first(3000);
        Dataset test = Mnist.load(TestData.mnist(), Split.TEST).first(2000);
        DenseNetwork net = new ModelTrainer(TrainOptions.defaults().withEpochs(5).withBatchSize(32)
                .withLearningRate(0.01), TrainingListener.NONE).train(ModelSpec.named("fc30-10", Activation.SIGMOID),
                train.features(DataType.FLOAT), train.labels(), Dataset.CLASSES);
        UnitAnalysis.Result result = UnitAnalysis.analyse(net, 1, test, 8, 3);
        assertEquals(30, result.unitTop().size());
        assertEquals(30, result.randomTop().size());
        assertTrue(result.chancePurity() < 0.45, "chance " + result.chancePurity());
        assertTrue(result.unitPurity() > result.chancePurity() + 0.2, "units " + result.unitPurity());
        assertTrue(result.randomPurity() > result.chancePurity() + 0.2, "random " + result.randomPurity());
    }
}
