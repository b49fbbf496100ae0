package org.blindspot.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelFactory;
import org.blindspot.engine.model.ModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The three paths {@link LossGradientBenchmark} times compute the same thing: per-row softmax
 * cross-entropy of FC100-100-10 and its input gradient agree to 1e-4 in float32 on B = 3.
 */
class LossGradientPathsAgreeTest {

    private static final double TOLERANCE = 1e-4;
    private static final int[] TARGETS = {3, 0, 9};

    private static DenseNetwork handWritten;
    private static INDArray x;
    private static INDArray expectedLoss;
    private static INDArray expectedGrad;

    @BeforeAll
    static void reference() {
        handWritten = ModelFactory.initialise(ModelSpec.named("fc100-100-10", Activation.SIGMOID), 784, 10, 42,
                DataType.FLOAT);
        x = RandomBatch.pixels(3, 784, 7, DataType.FLOAT);
        expectedGrad = Nd4j.create(DataType.FLOAT, 3, 784);
        expectedLoss = handWritten.lossAndInputGradient(x, TARGETS, expectedGrad);
        assertTrue(expectedGrad.norm2Number().doubleValue() > 1e-3, "the gradient should not vanish");
    }

    @Test
    void dl4jAgreesWithTheHandWrittenPath() {
        assertAgrees(new Dl4jClassifier(handWritten), "DL4J");
    }

    @Test
    void sameDiffAgreesWithTheHandWrittenPath() {
        assertAgrees(new SameDiffClassifier(handWritten), "SameDiff");
    }

    private static void assertAgrees(Classifier path, String name) {
        INDArray grad = Nd4j.create(DataType.FLOAT, 3, 784);
        INDArray loss = path.lossAndInputGradient(x, TARGETS, grad);
        assertArrayEquals(expectedLoss.toFloatVector(), loss.toFloatVector(), (float) TOLERANCE, name + " loss");
        float[] want = expectedGrad.reshape(3 * 784).toFloatVector();
        float[] got = grad.reshape(3 * 784).toFloatVector();
        assertArrayEquals(want, got, (float) TOLERANCE, name + " input gradient");
    }
}
