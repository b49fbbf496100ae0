package org.blindspot.engine.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Mnist;
import org.blindspot.engine.data.Split;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelSpec;
import org.blindspot.engine.run.AttackJob;
import org.blindspot.engine.run.RunFolder;
import org.blindspot.engine.testing.TestData;
import org.blindspot.engine.train.ModelTrainer;
import org.blindspot.engine.train.TrainOptions;
import org.blindspot.engine.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The attack on a small trained zoo model: success, distortion, the box, resume, and a failing row. */
class AttackTest {

    /**
     * Rows are independent in exact arithmetic, but a float32 matrix product of a batch can round a
     * row differently when the batch's size changes (BLAS picks other kernels), so a row's result
     * may move by float32 rounding when its neighbours change: compare to this relative tolerance.
     */
    private static final double FLOAT_ROUNDING = 1e-4;

    private static DenseNetwork network;
    private static Dataset test;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        Dataset train = Mnist.load(TestData.mnist(), Split.TRAIN).first(3000);
        test = Mnist.load(TestData.mnist(), Split.TEST).first(200);
        network = new ModelTrainer(TrainOptions.defaults().withEpochs(6).withBatchSize(32).withLearningRate(0.01),
                TrainingListener.NONE).train(ModelSpec.named("fc100-100-10", Activation.SIGMOID),
                train.features(DataType.FLOAT), train.labels(), Dataset.CLASSES);
    }

    @Test
    void everyExampleSucceedsWithASmallDistortionInsideTheBox() {
        List<AttackInput> inputs = inputs(24);
        List<AttackRecord> records = new BoxConstrainedLbfgsAttack(network, AttackOptions.defaults().withBatch(16))
                .run(inputs, r -> { });
        INDArray adversarial = Nd4j.create(records.stream().map(AttackRecord::adversarial).toArray(float[][]::new));
        int[] predicted = org.blindspot.engine.model.Predictions.argmax(network.logits(adversarial));
        for (int i = 0; i < records.size(); i++) {
            AttackRecord r = records.get(i);
            assertEquals(AttackStatus.SUCCEEDED, r.status(), "example " + r.index());
            assertEquals(r.target(), predicted[i], "the adversarial image is classified as the target");
            assertTrue(r.margin() > 0);
            assertTrue(r.rmsDistortion() > 0.005 && r.rmsDistortion() < 0.15, "distortion " + r.rmsDistortion());
            assertEquals(Distortion.rms(r.adversarial(), inputs.get(i).image()), r.rmsDistortion(), 1e-12);
            for (float v : r.adversarial()) {
                assertTrue(v >= 0f && v <= 1f, "pixel " + v);
            }
        }
    }

    @Test
    void theKeptHistorySavesEvaluationsForTheSameDistortionAndTheNormPenaltyResetsIt() {
        List<AttackInput> inputs = inputs(16);
        AttackOptions options = AttackOptions.defaults().withBatch(16);
        List<AttackRecord> kept = new BoxConstrainedLbfgsAttack(network, options).run(inputs, r -> { });
        List<AttackRecord> reset = new BoxConstrainedLbfgsAttack(network, options.withKeepHistory(false))
                .run(inputs, r -> { });
        int keptEvaluations = 0;
        int resetEvaluations = 0;
        double keptDistortion = 0;
        double resetDistortion = 0;
        for (int i = 0; i < inputs.size(); i++) {
            assertEquals(AttackStatus.SUCCEEDED, kept.get(i).status(), "kept, example " + i);
            assertEquals(AttackStatus.SUCCEEDED, reset.get(i).status(), "reset, example " + i);
            keptEvaluations += kept.get(i).evaluations();
            resetEvaluations += reset.get(i).evaluations();
            keptDistortion += kept.get(i).rmsDistortion();
            resetDistortion += reset.get(i).rmsDistortion();
        }
        assertTrue(keptEvaluations < resetEvaluations, keptEvaluations + " vs " + resetEvaluations + " evaluations");
        assertEquals(resetDistortion, keptDistortion, 0.02 * resetDistortion, "mean distortion within 2%");

        AttackOptions norm = options.withPenalty(Penalty.L2);
        List<AttackRecord> normKept = new BoxConstrainedLbfgsAttack(network, norm).run(inputs, r -> { });
        List<AttackRecord> normReset = new BoxConstrainedLbfgsAttack(network, norm.withKeepHistory(false))
                .run(inputs, r -> { });
        for (int i = 0; i < inputs.size(); i++) {
            assertEquals(AttackStatus.SUCCEEDED, normKept.get(i).status(), "norm penalty, example " + i);
            assertEquals(normReset.get(i).evaluations(), normKept.get(i).evaluations(),
                    "the norm's curvature changes with r: its solves start with an empty history either way");
            assertArrayEquals(normReset.get(i).adversarial(), normKept.get(i).adversarial());
        }
    }

    @Test
    void aWiderBoxIsUsedAndNeverLeft() {
        List<AttackInput> inputs = inputs(8);
        AttackOptions options = AttackOptions.defaults().withBatch(8);
        List<AttackRecord> unit = new BoxConstrainedLbfgsAttack(network, options).run(inputs, r -> { });
        List<AttackRecord> wide = new BoxConstrainedLbfgsAttack(network, options, -0.5, 1.5).run(inputs, r -> { });
        double unitMean = 0;
        double wideMean = 0;
        boolean outsideUnit = false;
        for (int i = 0; i < inputs.size(); i++) {
            assertEquals(AttackStatus.SUCCEEDED, wide.get(i).status());
            unitMean += unit.get(i).rmsDistortion() / inputs.size();
            wideMean += wide.get(i).rmsDistortion() / inputs.size();
            for (float v : wide.get(i).adversarial()) {
                assertTrue(v >= -0.5f && v <= 1.5f, "pixel " + v);
                outsideUnit |= v < 0f || v > 1f;
            }
        }
        assertTrue(outsideUnit, "the attack uses the room outside [0, 1]");
        assertTrue(wideMean < unitMean, "a larger box allows a smaller distortion: " + wideMean + " vs " + unitMean);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new BoxConstrainedLbfgsAttack(network, options, 0.1, 1).run(inputs, r -> { }),
                "an input outside the box is refused");
    }

    @Test
    void closestKeepsTheSmallestOfTheTargets() {
        List<AttackInput> next = inputs(4);
        List<AttackInput> closest = new ArrayList<>();
        for (AttackInput input : next) {
            closest.add(new AttackInput(input.index(), input.image(), input.trueLabel(),
                    TargetRule.parse("closest").targets(input.trueLabel(), new double[10], null)));
        }
        AttackOptions options = AttackOptions.defaults().withBatch(40);
        List<AttackRecord> one = new BoxConstrainedLbfgsAttack(network, options).run(next, r -> { });
        List<AttackRecord> all = new BoxConstrainedLbfgsAttack(network, options).run(closest, r -> { });
        for (int i = 0; i < next.size(); i++) {
            assertTrue(all.get(i).succeeded());
            assertTrue(all.get(i).l2() <= one.get(i).l2() * (1 + 1e-6), "closest " + all.get(i).l2() + " vs next "
                    + one.get(i).l2());
            assertTrue(all.get(i).solves() >= 9, "one solve at least per target");
        }
    }

    @Test
    void aRunResumedAfterAnInterruptionGivesTheSameRecordsUpToFloatRounding() throws Exception {
        AttackJob.Spec spec = new AttackJob.Spec(indices(50), 10, true, TargetRule.parse("next"), Double.NaN, 1,
                AttackOptions.defaults().withBatch(4), Map.of("model", "test"));
        Path whole = dir.resolve("whole");
        List<AttackRecord> expected = AttackJob.run(network, test, spec, whole, false, (d, t, m) -> { }, s -> { })
                .records();

        Path cut = dir.resolve("cut");
        Files.createDirectories(cut);
        Files.copy(whole.resolve(RunFolder.SETTINGS), cut.resolve(RunFolder.SETTINGS));
        List<String> lines = Files.readAllLines(whole.resolve(RunFolder.RECORDS));
        Files.writeString(cut.resolve(RunFolder.RECORDS), String.join("\n", lines.subList(0, 4)) + "\n"
                + lines.get(4).substring(0, 20));
        byte[] rows = Files.readAllBytes(whole.resolve(RunFolder.ROWS));
        int rowBytes = 4 + 4 * 784;
        Files.write(cut.resolve(RunFolder.ROWS), java.util.Arrays.copyOf(rows, 4 * rowBytes + 100));

        java.util.Set<Integer> kept = new java.util.HashSet<>();
        for (String line : lines.subList(0, 4)) {
            kept.add(Integer.parseInt(line.replaceAll(".*\"index\":(\\d+).*", "$1")));
        }
        List<String> notes = new ArrayList<>();
        List<AttackRecord> resumed = AttackJob.run(network, test, spec, cut, false, (d, t, m) -> { }, notes::add)
                .records();
        assertTrue(notes.get(0).contains("4 of 10 examples already done"), notes.toString());
        assertEquals(expected.size(), resumed.size());
        for (int i = 0; i < expected.size(); i++) {
            AttackRecord a = expected.get(i);
            AttackRecord b = resumed.get(i);
            assertEquals(a.index(), b.index());
            assertEquals(a.status(), b.status());
            assertEquals(a.target(), b.target());
            assertEquals(a.rmsDistortion(), b.rmsDistortion(), FLOAT_ROUNDING * a.rmsDistortion(),
                    "example " + a.index());
            if (kept.contains(a.index())) {
                assertArrayEquals(a.adversarial(), b.adversarial(), "finished examples are read back exactly");
            }
        }
    }

    @Test
    void aModelThatGivesNaNForOneRowFailsThatRowOnly() {
        List<AttackInput> inputs = inputs(12);
        Classifier poisoned = new Classifier() {
            @Override
            public int inputSize() {
                return network.inputSize();
            }

            @Override
            public int numClasses() {
                return network.numClasses();
            }

            @Override
            public DataType dataType() {
                return network.dataType();
            }

            @Override
            public INDArray logits(INDArray x) {
                return network.logits(x);
            }

            @Override
            public INDArray lossAndInputGradient(INDArray x, int[] targets, INDArray gradInput) {
                INDArray loss = network.lossAndInputGradient(x, targets, gradInput);
                for (int b = 0; b < targets.length; b++) {
                    if (targets[b] == 3) {
                        loss.putScalar(b, Double.NaN);
                    }
                }
                return loss;
            }
        };
        AttackOptions options = AttackOptions.defaults().withBatch(5);
        List<AttackRecord> clean = new BoxConstrainedLbfgsAttack(network, options).run(inputs, r -> { });
        List<AttackRecord> dirty = new BoxConstrainedLbfgsAttack(poisoned, options).run(inputs, r -> { });
        int poisonedRows = 0;
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).targets()[0] == 3) {
                assertEquals(AttackStatus.NON_FINITE, dirty.get(i).status(), "example " + i);
                poisonedRows++;
            } else {
                assertEquals(clean.get(i).status(), dirty.get(i).status());
                assertEquals(clean.get(i).rmsDistortion(), dirty.get(i).rmsDistortion(),
                        FLOAT_ROUNDING * clean.get(i).rmsDistortion(), "example " + i);
            }
        }
        assertTrue(poisonedRows > 0, "the test needs a row with target 3");
    }

    private static int[] indices(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static List<AttackInput> inputs(int n) {
        List<AttackInput> inputs = new ArrayList<>();
        int[] predicted = org.blindspot.engine.model.Predictions.argmax(network.logits(test.features(DataType.FLOAT)));
        for (int i = 0; i < test.count() && inputs.size() < n; i++) {
            if (predicted[i] == test.label(i)) {
                inputs.add(new AttackInput(i, test.image(i), test.label(i), new int[] {(test.label(i) + 1) % 10}));
            }
        }
        return inputs;
    }

}
