package org.blindspot.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.blindspot.engine.attack.AttackInput;
import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.attack.BoxConstrainedLbfgsAttack;
import org.blindspot.engine.io.BadDataException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.blindspot.engine.testing.InputGradientCheck;

/** Convolutional DL4J model zips built here, loaded back as {@link Dl4jClassifier}s. */
class Dl4jConvImportTest {

    private static final org.nd4j.linalg.activations.Activation RELU = org.nd4j.linalg.activations.Activation.RELU;
    private static final org.nd4j.linalg.activations.Activation TANH = org.nd4j.linalg.activations.Activation.TANH;
    private static final org.nd4j.linalg.activations.Activation SOFTMAX = org.nd4j.linalg.activations.Activation.SOFTMAX;

    @TempDir
    Path temp;

    /**
     * side x side x 1 (flat) -> Conv 3x3 4 relu (dropout) -> max pool 2x2 -> Dropout -> Dense 6 tanh -> 3 softmax
     * (MCXENT), weights N(0, 0.5^2) from {@code seed}.
     */
    static MultiLayerNetwork convNet(int side, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(RELU).dropOut(0.5).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DropoutLayer.Builder(0.7).build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(6).activation(TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(side, side, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(seed);
        net.setParams(Nd4j.randn(DataType.FLOAT, 1, net.numParams()).muli(0.5));
        return net;
    }

    /** Writes {@code model} with ModelSerializer to a new zip in {@code dir}. */
    static Path save(Model model, Path dir) throws IOException {
        Path file = Files.createTempFile(dir, "conv", ".zip");
        try (OutputStream out = Files.newOutputStream(file)) {
            ModelSerializer.writeModel(model, out, false);
        }
        return file;
    }

    @Test
    void logitsAreDl4jsOutputBeforeSoftmax() throws IOException {
        MultiLayerNetwork net = convNet(8, 3);
        ModelFile.Loaded loaded = ModelFile.load(save(net, temp), Activation.SIGMOID, 64);
        Dl4jClassifier classifier = assertInstanceOf(Dl4jClassifier.class, loaded.classifier());
        assertEquals(64, classifier.inputSize());
        assertEquals(3, classifier.numClasses());
        assertEquals(DataType.FLOAT, classifier.dataType());

        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 64);
        INDArray logits = classifier.logits(x);
        assertClose(net.output(x, false), Transforms.softmax(logits, true), 1e-5);
        List<INDArray> activations = net.feedForward(x, false);
        INDArray lastHidden = activations.get(activations.size() - 2);
        org.deeplearning4j.nn.api.Layer output = net.getLayer(net.getnLayers() - 1);
        assertClose(lastHidden.mmul(output.getParam("W")).addiRowVector(output.getParam("b")), logits, 1e-5);
        assertClose(logits, classifier.logits(x), 0);
    }

    @Test
    void convolutionalModelIsNotADenseNetwork() throws IOException {
        ModelFile.Loaded loaded = ModelFile.load(save(convNet(8, 3), temp), Activation.SIGMOID, 64);
        String message = assertThrows(BadDataException.class, () -> loaded.network("spectral")).getMessage();
        assertTrue(message.contains("convolutional model") && message.contains("spectral"), message);
    }

    @Test
    void lossIsSoftmaxCrossEntropyOfTheLogits() throws IOException {
        Classifier classifier = Dl4jImport.load(save(convNet(8, 5), temp), 64).classifier();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 64);
        int[] targets = {0, 1, 2, 1};
        INDArray loss = classifier.lossAndInputGradient(x, targets, Nd4j.create(DataType.FLOAT, 4, 64));
        INDArray logSoftmax = Transforms.log(Transforms.softmax(classifier.logits(x), true), false);
        for (int b = 0; b < 4; b++) {
            assertEquals(-logSoftmax.getDouble(b, targets[b]), loss.getDouble(b), 1e-5, "row " + b);
        }
    }

    @Test
    void inputGradientMatchesFiniteDifferences() throws IOException {
        Classifier classifier = Dl4jImport.load(save(convNet(6, 7), temp), 36).classifier();
        InputGradientCheck.assertMatchesFiniteDifferences(classifier, 3, 11, "conv MultiLayerNetwork");
    }

    @Test
    void rowGradientDoesNotDependOnTheBatch() throws IOException {
        Classifier classifier = Dl4jImport.load(save(convNet(6, 7), temp), 36).classifier();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 36);
        INDArray all = Nd4j.create(DataType.FLOAT, 4, 36);
        classifier.lossAndInputGradient(x, new int[] {0, 1, 2, 0}, all);
        INDArray one = Nd4j.create(DataType.FLOAT, 1, 36);
        classifier.lossAndInputGradient(x.getRow(2, true).dup(), new int[] {2}, one);
        assertClose(one, all.getRow(2, true), 1e-6);
    }

    @Test
    void castToDoubleGivesTheSameLogits() throws IOException {
        Classifier classifier = Dl4jImport.load(save(convNet(8, 3), temp), 64).classifier();
        Classifier wide = classifier.castTo(DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, wide.dataType());
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 64);
        assertClose(classifier.logits(x), wide.logits(x.castTo(DataType.DOUBLE)), 1e-5);
    }

    @Test
    void computationGraphChainWithConvolutionsIsAccepted() throws IOException {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(RELU).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "conv")
                .addLayer("out", new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nOut(4)
                        .activation(SOFTMAX).build(), "pool")
                .setOutputs("out")
                .setInputTypes(InputType.convolutionalFlat(6, 6, 1))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4j.getRandom().setSeed(5);
        graph.setParams(Nd4j.randn(DataType.FLOAT, 1, graph.numParams()).muli(0.7));
        Classifier classifier = Dl4jImport.load(save(graph, temp), 36).classifier();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 36);
        assertClose(graph.outputSingle(false, x), Transforms.softmax(classifier.logits(x), true), 1e-5);
        InputGradientCheck.assertMatchesFiniteDifferences(classifier, 2, 4, "conv ComputationGraph");
    }

    @Test
    void attackRunsAndKeepsPixelsInTheBox() throws IOException {
        Classifier classifier = Dl4jImport.load(save(convNet(8, 3), temp), 64).classifier();
        Random random = new Random(17);
        List<AttackInput> inputs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] pixels = new float[64];
            for (int j = 0; j < pixels.length; j++) {
                pixels[j] = random.nextFloat();
            }
            int predicted = classifier.logits(Nd4j.create(pixels, new long[] {1, 64}, DataType.FLOAT))
                    .argMax(1).getInt(0);
            inputs.add(new AttackInput(i, pixels, predicted, new int[] {(predicted + 1) % 3}));
        }
        List<AttackRecord> records = new BoxConstrainedLbfgsAttack(classifier,
                AttackOptions.defaults().withBatch(4).withSearchSteps(3).withMaxIterations(30)).run(inputs, r -> { });
        assertEquals(3, records.size());
        for (AttackRecord record : records) {
            for (float pixel : record.adversarial()) {
                assertTrue(pixel >= 0f && pixel <= 1f, "pixel " + pixel + " of input " + record.index());
            }
        }
    }

    @Test
    void batchNormalisationInAConvolutionalNetworkIsRefused() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1))
                .build());
        net.init();
        String message = assertThrows(BadDataException.class, () -> Dl4jImport.load(save(net, temp), 0)).getMessage();
        assertTrue(message.contains("layer 1") && message.contains("BatchNormalization")
                && message.contains("batch normalisation"), message);
    }

    @Test
    void recurrentLayerIsRefused() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nIn(5).nOut(4).activation(TANH).build())
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(SOFTMAX).build())
                .build());
        net.init();
        String message = assertThrows(BadDataException.class, () -> Dl4jImport.load(save(net, temp), 0)).getMessage();
        assertTrue(message.contains("layer 0") && message.contains("LSTM"), message);
    }

    @Test
    void softmaxWithAnotherLossIsRefused() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(3).activation(SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1))
                .build());
        net.init();
        String message = assertThrows(BadDataException.class, () -> Dl4jImport.load(save(net, temp), 0)).getMessage();
        assertTrue(message.contains("LossMSE") && message.contains("cross-entropy"), message);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()));
        INDArray difference = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE));
        double max = Transforms.abs(difference).maxNumber().doubleValue();
        assertTrue(max <= tolerance, "max |difference| " + max + " > " + tolerance);
    }
}
