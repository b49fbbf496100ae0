package org.blindspot.engine.solver;

import java.util.Arrays;
import java.util.Random;

/** Seeded random problems of one size n, of every kind, for the batch invariant tests. */
final class RandomProblems {
    private RandomProblems() {
    }

    /** Problem {@code index} of size n; the kind cycles through quadratic, clipped, logistic, Rosenbrock, one-sided. */
    static TestProblem problem(int index, int n, long seed) {
        Random r = new Random(seed * 1_000_003L + index);
        double[] lower = new double[n];
        double[] upper = new double[n];
        double[] x0 = new double[n];
        switch (index % 5) {
            case 0: {
                int rank = 2;
                double[] d = new double[n];
                double[] u = new double[n * rank];
                double[] b = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = 1 + 9 * r.nextDouble();
                    b[i] = 6 * r.nextGaussian();
                    lower[i] = -1;
                    upper[i] = 1;
                    x0[i] = r.nextDouble() - 0.5;
                }
                for (int i = 0; i < u.length; i++) {
                    u[i] = 0.5 * r.nextGaussian();
                }
                return TestProblem.quadratic("quadratic" + index, x0, lower, upper, d, u, rank, b);
            }
            case 1: {
                double[] w = new double[n];
                double[] c = new double[n];
                for (int i = 0; i < n; i++) {
                    lower[i] = -r.nextDouble();
                    upper[i] = lower[i] + 0.5 + r.nextDouble();
                    c[i] = 4 * r.nextDouble() - 2;
                    w[i] = 0.5 + 3.5 * r.nextDouble();
                    x0[i] = lower[i] + r.nextDouble() * (upper[i] - lower[i]);
                }
                return TestProblem.clipped("clipped" + index, x0, lower, upper, w, c);
            }
            case 2: {
                int samples = 30;
                double[] a = new double[samples * n];
                double[] labels = new double[samples];
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextGaussian();
                }
                for (int j = 0; j < samples; j++) {
                    labels[j] = r.nextBoolean() ? 1 : -1;
                }
                Arrays.fill(lower, -0.3);
                Arrays.fill(upper, 0.3);
                return TestProblem.logistic("logistic" + index, x0, lower, upper, a, labels, samples, 0.01);
            }
            case 3: {
                for (int i = 0; i < n; i++) {
                    lower[i] = i % 4 == 1 ? Double.NEGATIVE_INFINITY : -2;
                    upper[i] = i % 3 == 0 ? 0.3 + 0.4 * r.nextDouble() : 2;
                    x0[i] = Math.min(Math.max((i % 2 == 0 ? -1.2 : 1.0) + 0.1 * r.nextGaussian(), lower[i]), upper[i]);
                }
                return TestProblem.rosenbrock("rosenbrock" + index, x0, lower, upper);
            }
            default: {
                int rank = 2;
                double[] d = new double[n];
                double[] u = new double[n * rank];
                double[] b = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = 1 + 4 * r.nextDouble();
                    b[i] = 3 * r.nextGaussian();
                    lower[i] = i % 3 == 0 ? r.nextDouble() - 0.5 : Double.NEGATIVE_INFINITY;
                    upper[i] = i % 3 == 1 ? r.nextDouble() - 0.5 : Double.POSITIVE_INFINITY;
                    x0[i] = Math.min(Math.max(2 * r.nextDouble() - 1, lower[i]), upper[i]);
                }
                for (int i = 0; i < u.length; i++) {
                    u[i] = 0.5 * r.nextGaussian();
                }
                return TestProblem.quadratic("onesided" + index, x0, lower, upper, d, u, rank, b);
            }
        }
    }

    /** Problems {@code 0..count-1}. */
    static TestProblem[] batch(int count, int n, long seed) {
        TestProblem[] out = new TestProblem[count];
        for (int k = 0; k < count; k++) {
            out[k] = problem(k, n, seed);
        }
        return out;
    }
}
