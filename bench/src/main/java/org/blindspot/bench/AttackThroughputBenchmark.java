package org.blindspot.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.blindspot.engine.attack.AttackInput;
import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.attack.BoxConstrainedLbfgsAttack;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Mnist;
import org.blindspot.engine.data.MnistLocator;
import org.blindspot.engine.data.Split;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelSpec;
import org.blindspot.engine.train.ModelTrainer;
import org.blindspot.engine.train.TrainOptions;
import org.blindspot.engine.train.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Question: how many MNIST examples per second does the whole attack (search over c, continuous
 * batching, float32 checks) process, as a function of the solver's batch size?
 *
 * <p>Workload: FC100-100-10 (sigmoid) trained in setup on the first 6,000 training images (Adam, 10
 * epochs, batch 32, step 0.01, seed 1: the {@code bench} command's standard model), the first 1,000
 * test images, target next, default attack options. One benchmark call attacks all 1,000 images;
 * examples/s = 1000 / (seconds per call). MNIST comes from {@code $BLINDSPOT_DATA} or
 * ~/.cache/blindspot/mnist. Runs unchanged on the CUDA backend (build with {@code -Pbench,cuda}); the
 * attack reads its results to the host, so the device has finished when a call returns. The fork runs with the
 * launcher's JIT setting ({@code -XX:FreqInlineSize=100}), so that it measures what {@code ./blindspot attack}
 * does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:FreqInlineSize=100", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class AttackThroughputBenchmark {

    private static final int IMAGES = 1000;

    @Param({"64", "256", "1024"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private DenseNetwork network;
    private List<AttackInput> inputs;

    @Setup
    public void setUp() {
        Path dir = MnistLocator.forThisProcess().locate(Optional.empty()).directory();
        Dataset train = Mnist.load(dir, Split.TRAIN).first(6000);
        Dataset test = Mnist.load(dir, Split.TEST).first(IMAGES);
        network = new ModelTrainer(TrainOptions.defaults().withEpochs(10).withBatchSize(32).withLearningRate(0.01),
                TrainingListener.NONE).train(ModelSpec.named("fc100-100-10", Activation.SIGMOID),
                train.features(DataType.FLOAT), train.labels(), Dataset.CLASSES);
        inputs = new ArrayList<>();
        for (int i = 0; i < test.count(); i++) {
            inputs.add(new AttackInput(i, test.image(i), test.label(i), new int[] {(test.label(i) + 1) % 10}));
        }
    }

    @Benchmark
    public void attack(Blackhole sink) {
        List<AttackRecord> records = new BoxConstrainedLbfgsAttack(network,
                AttackOptions.defaults().withBatch(batch).withThreads(threads)).run(inputs, r -> { });
        Nd4j.getExecutioner().commit();
        sink.consume(records);
    }
}
