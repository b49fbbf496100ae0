package org.blindspot.engine.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.Dl4jClassifier;
import org.blindspot.engine.model.ModelFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Section 4.3's bounds for convolutional models run by DL4J: they bound the logits' actual sensitivity. */
class NetworkBoundsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/onnx/conv_pool.onnx", "/onnx/conv_stride.onnx", "/keras/conv_channels.h5",
            "/keras/conv_mnistlike.h5"})
    void theProductBoundsEveryObservedChangeOfTheLogits(String resource) throws URISyntaxException {
        Dl4jClassifier classifier = (Dl4jClassifier) ModelFile.load(fixture(resource), Activation.SIGMOID, 0)
                .classifier();
        List<SpectralBounds.Layer> layers = NetworkBounds.of(classifier, 1);
        assertEquals(classifier.network().getnLayers(), layers.size());
        double product = SpectralBounds.product(layers);
        assertTrue(product > 0 && Double.isFinite(product), "product " + product);
        Classifier net = classifier.castTo(DataType.DOUBLE);
        Random random = new Random(3);
        int m = net.inputSize();
        double largest = 0;
        for (int trial = 0; trial < 20; trial++) {
            INDArray x = Nd4j.rand(DataType.DOUBLE, 1, m);
            INDArray r = Nd4j.randn(DataType.DOUBLE, 1, m).muli(1e-3 * (1 + random.nextInt(100)));
            double change = net.logits(x.add(r)).sub(net.logits(x)).norm2Number().doubleValue();
            largest = Math.max(largest, change / r.norm2Number().doubleValue());
        }
        assertTrue(largest <= product * (1 + 1e-9), resource + ": observed " + largest + " > bound " + product);
        assertTrue(largest > 0, "the logits move");
    }

    private static Path fixture(String resource) throws URISyntaxException {
        return Path.of(NetworkBoundsTest.class.getResource(resource).toURI());
    }
}
