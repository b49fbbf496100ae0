package org.blindspot.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelFactory;
import org.blindspot.engine.model.ModelSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What is the fastest way to compute, for a batch of B MNIST images, the per-row softmax
 * cross-entropy of FC100-100-10 (784-100-100-10, sigmoid hidden layers) towards given targets and
 * its gradient with respect to the input?
 *
 * <p>Three paths behind the engine's {@link org.blindspot.engine.model.Classifier} interface, with
 * the same seeded float32 weights: the engine's hand-written ND4J passes ({@link DenseNetwork}),
 * DL4J ({@link Dl4jClassifier}) and SameDiff ({@link SameDiffClassifier}). The baseline
 * {@link #gemmFloor} runs only the six matrix products any path needs (three forward, three back to
 * the input) into preallocated buffers: the BLAS floor under all three.
 *
 * <p>Inputs [B, 784] are uniform in [0, 1), targets fixed per trial; each call's loss and gradient
 * are read back (one scalar each) after {@code commit()}, so an asynchronous backend (CUDA) has
 * finished before the clock stops. Results: bench/README.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dorg.nd4j.log.initialization=false"})
public class LossGradientBenchmark {

    private static final int INPUTS = 784;
    private static final int CLASSES = 10;
    private static final long WEIGHT_SEED = 42;

    /** Batch size B. */
    @Param({"1", "64", "1024", "4096"})
    public int batch;

    private DenseNetwork handWritten;
    private Dl4jClassifier dl4j;
    private SameDiffClassifier sameDiff;
    private INDArray x;
    private int[] targets;
    private INDArray gradInput;
    private INDArray[] floorBuffers;

    /** Builds the network, its DL4J and SameDiff copies, the batch and the buffers; runs each path once. */
    @Setup(Level.Trial)
    public void setUp() {
        handWritten = ModelFactory.initialise(ModelSpec.named("fc100-100-10", Activation.SIGMOID), INPUTS, CLASSES,
                WEIGHT_SEED, DataType.FLOAT);
        dl4j = new Dl4jClassifier(handWritten);
        sameDiff = new SameDiffClassifier(handWritten);
        x = RandomBatch.pixels(batch, INPUTS, 1000 + batch, DataType.FLOAT);
        targets = RandomBatch.labels(batch, CLASSES, 2000 + batch);
        gradInput = Nd4j.create(DataType.FLOAT, batch, INPUTS);
        floorBuffers = new INDArray[] {
            Nd4j.create(DataType.FLOAT, batch, 100), Nd4j.create(DataType.FLOAT, batch, 100),
            Nd4j.create(DataType.FLOAT, batch, CLASSES), Nd4j.create(DataType.FLOAT, batch, 100),
            Nd4j.create(DataType.FLOAT, batch, 100)};
        handWritten.lossAndInputGradient(x, targets, gradInput);
        dl4j.lossAndInputGradient(x, targets, gradInput);
        sameDiff.lossAndInputGradient(x, targets, gradInput);
        Nd4j.getExecutioner().commit();
    }

    /** The engine's {@link DenseNetwork#lossAndInputGradient}: hand-written passes into reused buffers. */
    @Benchmark
    public void handWritten(Blackhole sink) {
        finish(handWritten.lossAndInputGradient(x, targets, gradInput), sink);
    }

    /** DL4J {@code calculateGradients} for the input gradient, {@code scoreExamples} for the per-row loss. */
    @Benchmark
    public void dl4j(Blackhole sink) {
        finish(dl4j.lossAndInputGradient(x, targets, gradInput), sink);
    }

    /** SameDiff {@code calculateGradientsAndOutputs} for the per-row loss and the placeholder's gradient. */
    @Benchmark
    public void sameDiff(Blackhole sink) {
        finish(sameDiff.lossAndInputGradient(x, targets, gradInput), sink);
    }

    /** Baseline: the six matrix products alone (no bias, activation, softmax or allocation). */
    @Benchmark
    public void gemmFloor(Blackhole sink) {
        List<DenseLayer> layers = handWritten.layers();
        INDArray h1 = floorBuffers[0];
        INDArray h2 = floorBuffers[1];
        INDArray logits = floorBuffers[2];
        INDArray d2 = floorBuffers[3];
        INDArray d1 = floorBuffers[4];
        Nd4j.gemm(x, layers.get(0).weights(), h1, false, false, 1.0, 0.0);
        Nd4j.gemm(h1, layers.get(1).weights(), h2, false, false, 1.0, 0.0);
        Nd4j.gemm(h2, layers.get(2).weights(), logits, false, false, 1.0, 0.0);
        Nd4j.gemm(logits, layers.get(2).weights(), d2, false, true, 1.0, 0.0);
        Nd4j.gemm(d2, layers.get(1).weights(), d1, false, true, 1.0, 0.0);
        Nd4j.gemm(d1, layers.get(0).weights(), gradInput, false, true, 1.0, 0.0);
        finish(logits, sink);
    }

    /** Waits for the backend and sinks one scalar of the loss and of the gradient. */
    private void finish(INDArray loss, Blackhole sink) {
        Nd4j.getExecutioner().commit();
        sink.consume(loss.getFloat(0));
        sink.consume(gradInput.getFloat(batch - 1L, INPUTS - 1L));
    }
}
