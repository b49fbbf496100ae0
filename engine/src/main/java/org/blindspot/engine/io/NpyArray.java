package org.blindspot.engine.io;

import java.util.Arrays;

/**
 * An n-dimensional array as NumPy stores it: a shape, an element type and the elements in C
 * (row-major) order, held as one primitive Java array ({@link NpyDtype#javaType()}).
 *
 * <p>Immutable: the factories copy what they are given and the accessors return copies. The
 * {@code as...} accessors convert to another element type and refuse, with a {@link
 * BadDataException} naming the element, any value the target type cannot hold exactly (a
 * fraction or an out-of-range value to {@code int}, an integer beyond 2^24 to {@code float}); the
 * one rounding they allow is {@code float64} to {@code float32}, for finite values in range.
 */
public final class NpyArray {

    private final long[] shape;
    private final NpyDtype dtype;
    private final Object data;
    private final int size;

    private NpyArray(long[] shape, NpyDtype dtype, Object data, int size) {
        this.shape = shape;
        this.dtype = dtype;
        this.data = data;
        this.size = size;
    }

    /** A {@code float32} array of the given shape; {@code data} is copied. */
    public static NpyArray ofFloats(float[] data, long... shape) {
        return create(NpyDtype.FLOAT32, data.clone(), data.length, shape);
    }

    /** A {@code float64} array of the given shape; {@code data} is copied. */
    public static NpyArray ofDoubles(double[] data, long... shape) {
        return create(NpyDtype.FLOAT64, data.clone(), data.length, shape);
    }

    /** An {@code int32} array of the given shape; {@code data} is copied. */
    public static NpyArray ofInts(int[] data, long... shape) {
        return create(NpyDtype.INT32, data.clone(), data.length, shape);
    }

    /** An {@code int64} array of the given shape; {@code data} is copied. */
    public static NpyArray ofLongs(long[] data, long... shape) {
        return create(NpyDtype.INT64, data.clone(), data.length, shape);
    }

    /** A {@code uint8} array of the given shape; each byte is read as unsigned; {@code data} is copied. */
    public static NpyArray ofUnsignedBytes(byte[] data, long... shape) {
        return create(NpyDtype.UINT8, data.clone(), data.length, shape);
    }

    /** A {@code bool} array of the given shape; {@code data} is copied. */
    public static NpyArray ofBooleans(boolean[] data, long... shape) {
        return create(NpyDtype.BOOL, data.clone(), data.length, shape);
    }

    /** Wraps a primitive array the caller hands over (the readers); no copy. */
    static NpyArray wrap(NpyDtype dtype, Object data, int length, long[] shape) {
        return create(dtype, data, length, shape);
    }

    private static NpyArray create(NpyDtype dtype, Object data, int length, long[] shape) {
        long[] checkedShape = shape.clone();
        long product = elementCount(checkedShape);
        if (product != length) {
            throw new IllegalArgumentException("shape " + shapeString(checkedShape) + " holds " + product
                    + " elements but " + length + " were given");
        }
        return new NpyArray(checkedShape, dtype, data, length);
    }

    /**
     * The number of elements of a shape, checked: every dimension non-negative and the product at
     * most {@link Integer#MAX_VALUE} (one Java array).
     *
     * @throws IllegalArgumentException otherwise
     */
    static long elementCount(long[] shape) {
        long product = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " has a negative dimension");
            }
            product = dimension == 0 ? 0 : Math.multiplyExact(product, dimension);
            if (product > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + shapeString(shape)
                        + " holds more than " + Integer.MAX_VALUE + " elements (one Java array)");
            }
        }
        return product;
    }

    /** The shape in NumPy's notation, e.g. {@code (3, 4)}, {@code (5,)} or {@code ()}. */
    static String shapeString(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            text.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return text.append(')').toString();
    }

    /** The shape (a copy); {@code []} for a scalar. */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The element type. */
    public NpyDtype dtype() {
        return dtype;
    }

    /** The number of elements, the product of the shape. */
    public int size() {
        return size;
    }

    /** The raw primitive array, not copied: for the writers of this package only. */
    Object data() {
        return data;
    }

    /** The elements as {@code float}, converting with the checks described on the class. */
    public float[] asFloats() {
        float[] out = new float[size];
        switch (dtype) {
            case FLOAT32 -> System.arraycopy(data, 0, out, 0, size);
            case FLOAT64 -> {
                double[] in = (double[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = (float) in[i];
                    if (Double.isFinite(in[i]) && !Float.isFinite(out[i])) {
                        throw notRepresentable(i, in[i], "float32");
                    }
                }
            }
            case INT32 -> {
                int[] in = (int[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = in[i];
                    if ((long) out[i] != in[i]) {
                        throw notRepresentable(i, in[i], "float32");
                    }
                }
            }
            case INT64 -> {
                long[] in = (long[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = in[i];
                    if (!exactLong(out[i], in[i])) {
                        throw notRepresentable(i, in[i], "float32");
                    }
                }
            }
            case UINT8 -> {
                byte[] in = (byte[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = in[i] & 0xff;
                }
            }
            case BOOL -> {
                boolean[] in = (boolean[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = in[i] ? 1f : 0f;
                }
            }
        }
        return out;
    }

    /** The elements as {@code double}, converting with the checks described on the class. */
    public double[] asDoubles() {
        double[] out = new double[size];
        switch (dtype) {
            case FLOAT32 -> {
                float[] in = (float[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = in[i];
                }
            }
            case FLOAT64 -> System.arraycopy(data, 0, out, 0, size);
            case INT32 -> {
                int[] in = (int[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = in[i];
                }
            }
            case INT64 -> {
                long[] in = (long[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = in[i];
                    if (!exactLong(out[i], in[i])) {
                        throw notRepresentable(i, in[i], "float64");
                    }
                }
            }
            case UINT8 -> {
                byte[] in = (byte[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = in[i] & 0xff;
                }
            }
            case BOOL -> {
                boolean[] in = (boolean[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = in[i] ? 1 : 0;
                }
            }
        }
        return out;
    }

    /** The elements as {@code int}, converting with the checks described on the class. */
    public int[] asInts() {
        int[] out = new int[size];
        switch (dtype) {
            case FLOAT32 -> {
                float[] in = (float[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = (int) in[i];
                    if (out[i] != in[i]) {
                        throw notRepresentable(i, in[i], "int32");
                    }
                }
            }
            case FLOAT64 -> {
                double[] in = (double[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = (int) in[i];
                    if (out[i] != in[i]) {
                        throw notRepresentable(i, in[i], "int32");
                    }
                }
            }
            case INT32 -> System.arraycopy(data, 0, out, 0, size);
            case INT64 -> {
                long[] in = (long[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = (int) in[i];
                    if (out[i] != in[i]) {
                        throw notRepresentable(i, in[i], "int32");
                    }
                }
            }
            case UINT8 -> {
                byte[] in = (byte[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = in[i] & 0xff;
                }
            }
            case BOOL -> {
                boolean[] in = (boolean[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = in[i] ? 1 : 0;
                }
            }
        }
        return out;
    }

    /** The elements as {@code long}; floating-point values must be whole numbers in range. */
    public long[] asLongs() {
        if (dtype == NpyDtype.INT64) {
            return ((long[]) data).clone();
        }
        if (dtype == NpyDtype.FLOAT32 || dtype == NpyDtype.FLOAT64) {
            double[] in = asDoubles();
            long[] out = new long[size];
            for (int i = 0; i < size; i++) {
                out[i] = (long) in[i];
                if (out[i] != in[i] || in[i] >= 0x1p63) {
                    throw notRepresentable(i, in[i], "int64");
                }
            }
            return out;
        }
        int[] in = asInts();
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = in[i];
        }
        return out;
    }

    /** Whether {@code value}, the float or double nearest to {@code exact}, equals it. */
    private static boolean exactLong(double value, long exact) {
        return value < 0x1p63 && (long) value == exact;
    }

    private BadDataException notRepresentable(int index, Object value, String target) {
        return new BadDataException(dtype + " array " + shapeString(shape),
                "element " + index + " = " + value + " cannot be converted to " + target + " exactly");
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + shapeString(shape) + "]";
    }

    /** Same element type, shape and elements. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof NpyArray that)) {
            return false;
        }
        return dtype == that.dtype && Arrays.equals(shape, that.shape) && Arrays.deepEquals(
                new Object[] {data}, new Object[] {that.data});
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.deepHashCode(new Object[] {data});
    }
}
