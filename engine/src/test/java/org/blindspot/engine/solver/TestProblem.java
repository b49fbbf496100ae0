package org.blindspot.engine.solver;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One test problem: f and its gradient on host arrays, bounds and a starting point. The kinds mirror
 * {@code src/scripts/lbfgsb_reference.py}.
 */
final class TestProblem {
    final String name;
    final String kind;
    final int n;
    final double[] x0;
    final double[] lower;
    final double[] upper;
    private final double[] d;
    private final double[] u;
    private final double[] b;
    private final int rank;
    private final double[] a;
    private final double[] labels;
    private final int samples;
    private final double lambda;

    private TestProblem(String name, String kind, double[] x0, double[] lower, double[] upper, double[] d,
                        double[] u, double[] b, int rank, double[] a, double[] labels, int samples, double lambda) {
        this.name = name;
        this.kind = kind;
        this.n = x0.length;
        this.x0 = x0;
        this.lower = lower;
        this.upper = upper;
        this.d = d;
        this.u = u;
        this.b = b;
        this.rank = rank;
        this.a = a;
        this.labels = labels;
        this.samples = samples;
        this.lambda = lambda;
    }

    /** {@code 0.5 x'(diag(d) + U U')x - b'x}, U of shape [n, rank] row-major. */
    static TestProblem quadratic(String name, double[] x0, double[] lower, double[] upper, double[] d, double[] u,
                                 int rank, double[] b) {
        return new TestProblem(name, "quadratic", x0, lower, upper, d, u, b, rank, null, null, 0, 0);
    }

    /** Chained Rosenbrock. */
    static TestProblem rosenbrock(String name, double[] x0, double[] lower, double[] upper) {
        return new TestProblem(name, "rosenbrock", x0, lower, upper, null, null, null, 0, null, null, 0, 0);
    }

    /** {@code 0.5 sum w (x - c)^2}: optimum {@code clip(c, l, u)}. */
    static TestProblem clipped(String name, double[] x0, double[] lower, double[] upper, double[] w, double[] c) {
        return new TestProblem(name, "clipped", x0, lower, upper, w, null, c, 0, null, null, 0, 0);
    }

    /** Logistic loss of [samples, n] data a with labels +/-1, plus {@code 0.5 lambda |x|^2}. */
    static TestProblem logistic(String name, double[] x0, double[] lower, double[] upper, double[] a,
                                double[] labels, int samples, double lambda) {
        return new TestProblem(name, "logistic", x0, lower, upper, null, null, null, 0, a, labels, samples, lambda);
    }

    /** Reads a problem of reference.json. */
    static TestProblem fromJson(JsonNode node) {
        String name = node.get("name").asText();
        double[] x0 = doubles(node.get("x0"), 0);
        double[] lower = doubles(node.get("lower"), Double.NEGATIVE_INFINITY);
        double[] upper = doubles(node.get("upper"), Double.POSITIVE_INFINITY);
        JsonNode p = node.get("params");
        return switch (node.get("kind").asText()) {
            case "quadratic" -> quadratic(name, x0, lower, upper, doubles(p.get("d"), 0), doubles(p.get("u"), 0),
                    p.get("rank").asInt(), doubles(p.get("b"), 0));
            case "rosenbrock" -> rosenbrock(name, x0, lower, upper);
            case "clipped" -> clipped(name, x0, lower, upper, doubles(p.get("w"), 0), doubles(p.get("c"), 0));
            case "logistic" -> logistic(name, x0, lower, upper, doubles(p.get("a"), 0), doubles(p.get("y"), 0),
                    p.get("samples").asInt(), p.get("lam").asDouble());
            default -> throw new IllegalArgumentException("reference.json, problem " + name + ": unknown kind "
                    + node.get("kind").asText() + ", expected quadratic, rosenbrock, clipped or logistic");
        };
    }

    static double[] doubles(JsonNode array, double nullValue) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).isNull() ? nullValue : array.get(i).asDouble();
        }
        return out;
    }

    /** f at x; writes the gradient into g. */
    double evaluate(double[] x, double[] g) {
        switch (kind) {
            case "quadratic": {
                double f = 0;
                double[] ux = new double[rank];
                for (int i = 0; i < n; i++) {
                    for (int r = 0; r < rank; r++) {
                        ux[r] += u[i * rank + r] * x[i];
                    }
                }
                for (int i = 0; i < n; i++) {
                    double ui = 0;
                    for (int r = 0; r < rank; r++) {
                        ui += u[i * rank + r] * ux[r];
                    }
                    g[i] = d[i] * x[i] + ui - b[i];
                    f += 0.5 * d[i] * x[i] * x[i] - b[i] * x[i];
                }
                for (int r = 0; r < rank; r++) {
                    f += 0.5 * ux[r] * ux[r];
                }
                return f;
            }
            case "rosenbrock": {
                double f = 0;
                java.util.Arrays.fill(g, 0.0);
                for (int i = 0; i < n - 1; i++) {
                    double t = x[i + 1] - x[i] * x[i];
                    f += 100 * t * t + (1 - x[i]) * (1 - x[i]);
                    g[i] += -400 * t * x[i] - 2 * (1 - x[i]);
                    g[i + 1] += 200 * t;
                }
                return f;
            }
            case "clipped": {
                double f = 0;
                for (int i = 0; i < n; i++) {
                    double r = x[i] - b[i];
                    f += 0.5 * d[i] * r * r;
                    g[i] = d[i] * r;
                }
                return f;
            }
            case "logistic": {
                double f = 0;
                for (int i = 0; i < n; i++) {
                    g[i] = lambda * x[i];
                    f += 0.5 * lambda * x[i] * x[i];
                }
                for (int j = 0; j < samples; j++) {
                    double ax = 0;
                    for (int i = 0; i < n; i++) {
                        ax += a[j * n + i] * x[i];
                    }
                    double zj = labels[j] * ax;
                    f += zj > 0 ? Math.log1p(Math.exp(-zj)) : -zj + Math.log1p(Math.exp(zj));
                    double sig = 0.5 * (1 - Math.tanh(0.5 * zj));
                    for (int i = 0; i < n; i++) {
                        g[i] -= a[j * n + i] * labels[j] * sig;
                    }
                }
                return f;
            }
            default:
                throw new IllegalStateException(kind);
        }
    }
}
