package org.blindspot.engine.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A two-class linear softmax classifier, where the exact minimum L2 distortion inside the box has a
 * closed form up to a one-dimensional root: minimise ||r|| s.t. w.(x + r) + beta >= 0, 0 <= x + r <= 1
 * is solved by r_i = clip(t w_i, -x_i, 1 - x_i) with the smallest t >= 0 that meets the constraint
 * (KKT; the constraint's left side grows monotonically with t). The attack must land within 1%.
 */
class LinearMinimumDistortionTest {

    private static final int M = 784;

    @Test
    void theAttackFindsTheExactMinimumDistortionOfALinearClassifier() {
        Random random = new Random(5);
        double[] weights = new double[M * 2];
        for (int i = 0; i < M; i++) {
            weights[i * 2] = 0.05 * random.nextGaussian();
            weights[i * 2 + 1] = 0.05 * random.nextGaussian();
        }
        DenseNetwork net = new DenseNetwork(List.of(new DenseLayer(
                Nd4j.create(weights, new long[] {M, 2}, DataType.DOUBLE),
                Nd4j.create(new double[] {0.0, -0.5}, new long[] {1, 2}, DataType.DOUBLE),
                Activation.IDENTITY, 0, true)));

        List<AttackInput> inputs = new ArrayList<>();
        List<Double> exact = new ArrayList<>();
        for (int e = 0; inputs.size() < 6; e++) {
            float[] x = new float[M];
            for (int i = 0; i < M; i++) {
                x[i] = random.nextDouble() < 0.7 ? 0f : (float) random.nextDouble();
            }
            double[] w = new double[M];
            double beta = -0.5;
            double score = beta;
            for (int i = 0; i < M; i++) {
                w[i] = weights[i * 2 + 1] - weights[i * 2];
                score += w[i] * x[i];
            }
            if (score >= -0.05) {
                continue;
            }
            inputs.add(new AttackInput(e, x, 0, new int[] {1}));
            exact.add(exactMinimum(x, w, beta));
        }

        AttackOptions options = AttackOptions.defaults().withPrecision(DataType.DOUBLE).withFtol(1e-12).withCTolerance(0.002)
                .withSearchSteps(30).withMaxIterations(500).withBatch(4);
        List<AttackRecord> records = new BoxConstrainedLbfgsAttack(net, options).run(inputs, r -> { });
        for (int i = 0; i < inputs.size(); i++) {
            AttackRecord record = records.get(i);
            assertTrue(record.succeeded(), "example " + i + " " + record.status());
            assertEquals(exact.get(i), record.l2(), 0.01 * exact.get(i), "example " + i);
            for (float v : record.adversarial()) {
                assertTrue(v >= 0f && v <= 1f, "pixel outside the box: " + v);
            }
        }
    }

    /** ||r*|| of the closed form above, t found by bisection. */
    static double exactMinimum(float[] x, double[] w, double beta) {
        double lo = 0;
        double hi = 1;
        while (constraint(x, w, beta, hi) < 0) {
            hi *= 2;
        }
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            if (constraint(x, w, beta, mid) < 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double r = clip(hi * w[i], -x[i], 1 - x[i]);
            sum += r * r;
        }
        return Math.sqrt(sum);
    }

    private static double constraint(float[] x, double[] w, double beta, double t) {
        double value = beta;
        for (int i = 0; i < x.length; i++) {
            value += w[i] * (x[i] + clip(t * w[i], -x[i], 1 - x[i]));
        }
        return value;
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
