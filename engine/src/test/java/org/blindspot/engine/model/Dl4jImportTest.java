package org.blindspot.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.blindspot.engine.io.BadDataException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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

/** DL4J model zips built here with DL4J's own builders and ModelSerializer, loaded back as DenseNetworks. */
class Dl4jImportTest {

    private static final org.nd4j.linalg.activations.Activation SIGMOID = org.nd4j.linalg.activations.Activation.SIGMOID;
    private static final org.nd4j.linalg.activations.Activation RELU = org.nd4j.linalg.activations.Activation.RELU;
    private static final org.nd4j.linalg.activations.Activation TANH = org.nd4j.linalg.activations.Activation.TANH;
    private static final org.nd4j.linalg.activations.Activation IDENTITY = org.nd4j.linalg.activations.Activation.IDENTITY;
    private static final org.nd4j.linalg.activations.Activation SOFTMAX = org.nd4j.linalg.activations.Activation.SOFTMAX;

    @TempDir
    Path temp;

    /** 12 -> 8 sigmoid -> 6 relu (dropout) -> Dropout -> 5 tanh -> 3 softmax (MCXENT). */
    static MultiLayerNetwork classifier() {
        MultiLayerConfiguration conf = builder().list()
                .layer(dense(12, 8, SIGMOID))
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(8).nOut(6).activation(RELU)
                        .dropOut(0.5).build())
                .layer(new DropoutLayer.Builder(0.8).build())
                .layer(dense(6, 5, TANH))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(5).nOut(3).activation(SOFTMAX).build())
                .setInputType(InputType.feedForward(12))
                .build();
        return randomised(new MultiLayerNetwork(conf));
    }

    @Test
    void logitsAreDl4jsOutputBeforeSoftmax() throws IOException {
        MultiLayerNetwork net = classifier();
        DenseNetwork network = Dl4jImport.load(save(net), 12).network();
        assertEquals(List.of(Activation.SIGMOID, Activation.RELU, Activation.TANH, Activation.IDENTITY),
                network.layers().stream().map(DenseLayer::activation).toList());

        INDArray x = Nd4j.randn(DataType.FLOAT, 6, 12);
        INDArray logits = network.logits(x);
        List<INDArray> activations = net.feedForward(x, false);   // input, then each layer's output
        INDArray lastHidden = activations.get(activations.size() - 2);
        org.deeplearning4j.nn.api.Layer output = net.getLayer(net.getnLayers() - 1);
        INDArray expected = lastHidden.mmul(output.getParam("W")).addiRowVector(output.getParam("b"));
        assertClose(expected, logits, 1e-5);
        assertClose(net.output(x, false), Transforms.softmax(logits, true), 1e-6);
    }

    @Test
    void modelFileLoadsAZipByItsExtension() throws IOException {
        MultiLayerNetwork net = classifier();
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 12);
        assertClose(Dl4jImport.load(save(net), 12).network().logits(x),
                ModelFile.load(save(net), Activation.SIGMOID, 12).network().logits(x), 0);
    }

    @Test
    void identityOutputGivesDl4jsOutput() throws IOException {
        MultiLayerNetwork net = randomised(new MultiLayerNetwork(builder().list()
                .layer(dense(10, 7, TANH))
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(7).nOut(4).activation(IDENTITY).build())
                .build()));
        INDArray x = Nd4j.randn(DataType.FLOAT, 5, 10);
        assertClose(net.output(x, false), Dl4jImport.load(save(net), 0).network().logits(x), 1e-5);
    }

    @Test
    void activationLayerIsFoldedIntoTheDenseLayerBeforeIt() throws IOException {
        MultiLayerNetwork net = randomised(new MultiLayerNetwork(builder().list()
                .layer(dense(9, 6, IDENTITY))
                .layer(new ActivationLayer.Builder().activation(RELU).build())
                .layer(dense(6, 3, IDENTITY))
                .layer(new ActivationLayer.Builder().activation(SOFTMAX).build())
                .setInputType(InputType.feedForward(9))
                .build()));
        DenseNetwork network = Dl4jImport.load(save(net), 9).network();
        assertEquals(List.of(Activation.RELU, Activation.IDENTITY),
                network.layers().stream().map(DenseLayer::activation).toList());
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 9);
        assertClose(net.output(x, false), Transforms.softmax(network.logits(x), true), 1e-6);
    }

    @Test
    void computationGraphChainIsAccepted() throws IOException {
        ComputationGraph graph = chainGraph();
        DenseNetwork network = Dl4jImport.load(save(graph), 12).network();
        INDArray x = Nd4j.randn(DataType.FLOAT, 5, 12);
        assertClose(graph.outputSingle(false, x), Transforms.softmax(network.logits(x), true), 1e-6);
    }

    @Test
    void inputGradientMatchesFiniteDifferences() throws IOException {
        InputGradientCheck.assertMatchesFiniteDifferences(Dl4jImport.load(save(classifier()), 12).network(), 3, 9,
                "MultiLayerNetwork");
        InputGradientCheck.assertMatchesFiniteDifferences(Dl4jImport.load(save(chainGraph()), 12).network(), 3, 10,
                "ComputationGraph");
    }

    @Test
    void convolutionLoadsAsADl4jClassifier() throws IOException {
        MultiLayerNetwork net = randomised(new MultiLayerNetwork(builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(5).activation(RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1))
                .build()));
        Classifier classifier = Dl4jImport.load(save(net), 36).classifier();
        assertTrue(classifier instanceof Dl4jClassifier, classifier.getClass().getName());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 36);
        assertClose(net.output(x, false), Transforms.softmax(classifier.logits(x), true), 1e-5);
    }

    @Test
    void batchNormalisationIsRefusedByTypeAndIndex() throws IOException {
        MultiLayerNetwork net = randomised(new MultiLayerNetwork(builder().list()
                .layer(dense(8, 6, RELU))
                .layer(new BatchNormalization.Builder().nOut(6).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(6).nOut(3).activation(SOFTMAX).build())
                .build()));
        String message = refusal(save(net));
        assertTrue(message.contains("layer 1") && message.contains("BatchNormalization"), message);
    }

    @Test
    void unsupportedHiddenActivationIsRefused() throws IOException {
        MultiLayerNetwork net = randomised(new MultiLayerNetwork(builder().list()
                .layer(dense(8, 6, org.nd4j.linalg.activations.Activation.ELU))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(6).nOut(3).activation(SOFTMAX).build())
                .build()));
        String message = refusal(save(net));
        assertTrue(message.contains("layer 0") && message.contains("elu"), message);
    }

    @Test
    void softmaxWithAnotherLossIsRefused() throws IOException {
        MultiLayerNetwork net = randomised(new MultiLayerNetwork(builder().list()
                .layer(dense(8, 6, RELU))
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(6).nOut(3).activation(SOFTMAX).build())
                .build()));
        String message = refusal(save(net));
        assertTrue(message.contains("LossMSE") && message.contains("cross-entropy"), message);
    }

    @Test
    void graphWithAMergeIsRefused() throws IOException {
        ComputationGraphConfiguration conf = builder().graphBuilder()
                .addInputs("in")
                .addLayer("a", dense(6, 4, TANH), "in")
                .addLayer("b", dense(6, 4, RELU), "in")
                .addVertex("merge", new MergeVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(3).activation(SOFTMAX)
                        .build(), "merge")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        String message = refusal(save(graph));
        assertTrue(message.contains("merge") && message.contains("dense networks"), message);
    }

    @Test
    void inputSizeMismatchIsRefused() throws IOException {
        String message = assertThrows(BadDataException.class, () -> Dl4jImport.load(save(classifier()), 784))
                .getMessage();
        assertTrue(message.contains("takes 12 inputs but the data has 784"), message);
    }

    @Test
    void notAZipIsRefused() throws IOException {
        Path file = temp.resolve("model.zip");
        Files.writeString(file, "not a zip", StandardCharsets.US_ASCII);
        assertTrue(refusal(file).contains("not a zip file"));
    }

    @Test
    void truncatedZipIsRefused() throws IOException {
        byte[] whole = Files.readAllBytes(save(classifier()));
        for (int length : new int[] {10, whole.length / 2, whole.length - 30}) {
            Path cut = temp.resolve("cut" + length + ".zip");
            Files.write(cut, Arrays.copyOf(whole, length));
            String message = refusal(cut);
            assertTrue(message.startsWith(cut.toString()), message);
        }
    }

    @Test
    void corruptCoefficientsAreRefused() throws IOException {
        Path zip = temp.resolve("corrupt.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("configuration.json"));
            out.write(classifier().getLayerWiseConfigurations().toJson().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("coefficients.bin"));
            out.write(new byte[] {1, 2, 3, 4, 5, 6, 7});
            out.closeEntry();
        }
        assertTrue(refusal(zip).contains("cannot restore the DL4J MultiLayerNetwork"));
    }

    @Test
    void zipWithoutAModelIsRefused() throws IOException {
        Path zip = temp.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("hello".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        assertTrue(refusal(zip).contains("configuration.json"));
    }

    private String refusal(Path zip) {
        return assertThrows(BadDataException.class, () -> Dl4jImport.load(zip, 0)).getMessage();
    }

    private Path save(Model model) throws IOException {
        Path file = Files.createTempFile(temp, "model", ".zip");
        try (OutputStream out = Files.newOutputStream(file)) {
            ModelSerializer.writeModel(model, out, false);
        }
        return file;
    }

    private static ComputationGraph chainGraph() {
        ComputationGraphConfiguration conf = builder().graphBuilder()
                .addInputs("in")
                .addLayer("hidden", dense(12, 7, TANH), "in")
                .addLayer("drop", new DropoutLayer.Builder(0.9).build(), "hidden")
                .addLayer("out", new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nIn(7).nOut(4)
                        .activation(SOFTMAX).build(), "drop")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(12))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4j.getRandom().setSeed(5);
        graph.setParams(Nd4j.randn(DataType.FLOAT, 1, graph.numParams()).muli(0.7));
        return graph;
    }

    private static NeuralNetConfiguration.Builder builder() {
        return new NeuralNetConfiguration.Builder().seed(12).dataType(DataType.FLOAT);
    }

    private static org.deeplearning4j.nn.conf.layers.DenseLayer dense(int in, int out,
                                                                      org.nd4j.linalg.activations.Activation fn) {
        return new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(in).nOut(out).activation(fn).build();
    }

    /** Initialises {@code net} and gives every weight and bias a N(0, 0.7^2) value (biases are zero otherwise). */
    private static MultiLayerNetwork randomised(MultiLayerNetwork net) {
        net.init();
        Nd4j.getRandom().setSeed(4);
        net.setParams(Nd4j.randn(DataType.FLOAT, 1, net.numParams()).muli(0.7));
        return net;
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()));
        INDArray difference = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE));
        double max = Transforms.abs(difference).maxNumber().doubleValue();
        assertTrue(max <= tolerance, "max |difference| " + max + " > " + tolerance);
    }
}
