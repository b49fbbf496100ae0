package org.blindspot.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves INDArray contents to and from row-major host arrays for the batched kernel entry points.
 * Backend-neutral: it only uses {@code dup}, {@code castTo} and {@code Nd4j.create}.
 */
final class HostRows {
    private HostRows() {
    }

    /** A row-major double copy of {@code a}, whatever its order, view status or data type. */
    static double[] read(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** A new array of {@code shape} and {@code type} holding the row-major {@code data}. */
    static INDArray create(double[] data, DataType type, long... shape) {
        return Nd4j.create(data, shape, DataType.DOUBLE).castTo(type);
    }

    /** Checks that {@code a} has shape {@code [rows, cols]}. */
    static void requireShape(String name, INDArray a, long... shape) {
        if (!java.util.Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException(name + " must have shape " + java.util.Arrays.toString(shape)
                    + ", got " + java.util.Arrays.toString(a.shape()));
        }
    }
}
