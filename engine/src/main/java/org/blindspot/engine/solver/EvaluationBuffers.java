package org.blindspot.engine.solver;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The two preallocated {@code [B, n]} buffers of the batched evaluation (points and gradients) and the copies
 * between them and the solver's host state: the k running rows go to rows {@code [0, k)}, and the objective sees
 * {@code [k, n]} views. Allocated once, so a step costs no page faults; a constant number of ND4J operations per
 * step (two views, one read of f). Float rows go through a host float array and one bulk copy each way; the
 * gradients stay in the evaluation's type until {@link #rowGradient} widens one row for the thread advancing it,
 * so that a row's gradient is read while that row's other data is in cache, not in a pass over the whole batch.
 * Backend-neutral: host writes are tagged and host reads synchronised through
 * ND4J's {@link AffinityManager}.
 */
final class EvaluationBuffers {
    private final int batchSize;
    private final int n;
    private final DataType dataType;
    private final INDArray points;
    private final INDArray gradients;
    private final double[] doubleGradients;
    private final float[] floatRow;
    private final float[] floatGradients;

    EvaluationBuffers(int batchSize, int n, DataType dataType) {
        this.batchSize = batchSize;
        this.n = n;
        this.dataType = dataType;
        this.points = Nd4j.create(dataType, batchSize, n);
        this.gradients = Nd4j.create(dataType, batchSize, n);
        this.doubleGradients = dataType == DataType.DOUBLE ? new double[batchSize * n] : null;
        this.floatRow = dataType == DataType.FLOAT ? new float[n] : null;
        this.floatGradients = dataType == DataType.FLOAT ? new float[batchSize * n] : null;
    }

    /**
     * Evaluates the objective at the points of {@code rows}: row {@code rows[t]} of {@code hostPoints}
     * ({@code [B, n]} row-major) becomes row t of the objective's input.
     *
     * @return f per row without the objective's host term, length k; the gradients are then read with
     *         {@link #rowGradient}
     */
    double[] evaluate(BatchObjective objective, int[] rows, double[] hostPoints) {
        int k = rows.length;
        writePoints(rows, hostPoints);
        INDArray xs = k == batchSize ? points : points.get(NDArrayIndex.interval(0, k), NDArrayIndex.all());
        INDArray gs = k == batchSize ? gradients : gradients.get(NDArrayIndex.interval(0, k), NDArrayIndex.all());
        INDArray values = objective.evaluate(rows, xs, gs);
        if (values == null || values.length() != k) {
            throw new IllegalStateException("objective must return f of shape [" + k + "], got "
                    + (values == null ? "null" : Arrays.toString(values.shape())));
        }
        double[] fs = values.toDoubleVector();
        readGradients(k);
        return fs;
    }

    /** Copies the gradient of evaluated row t (of the last {@link #evaluate}) into {@code out[0, n)}, in double. */
    void rowGradient(int t, double[] out) {
        int off = t * n;
        if (doubleGradients != null) {
            System.arraycopy(doubleGradients, off, out, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = floatGradients[off + i];
            }
        }
    }

    private void writePoints(int[] rows, double[] hostPoints) {
        if (dataType == DataType.DOUBLE) {
            DoubleBuffer buffer = points.data().asNioDouble();
            for (int t = 0; t < rows.length; t++) {
                buffer.put(t * n, hostPoints, rows[t] * n, n);
            }
        } else {
            FloatBuffer buffer = points.data().asNioFloat();
            for (int t = 0; t < rows.length; t++) {
                int off = rows[t] * n;
                for (int i = 0; i < n; i++) {
                    floatRow[i] = (float) hostPoints[off + i];
                }
                buffer.put(t * n, floatRow, 0, n);
            }
        }
        Nd4j.getAffinityManager().tagLocation(points, AffinityManager.Location.HOST);
    }

    private void readGradients(int k) {
        Nd4j.getAffinityManager().ensureLocation(gradients, AffinityManager.Location.HOST);
        if (dataType == DataType.DOUBLE) {
            gradients.data().asNioDouble().get(0, doubleGradients, 0, k * n);
        } else {
            gradients.data().asNioFloat().get(0, floatGradients, 0, k * n);
        }
    }
}
