package org.blindspot.engine.io;

/**
 * The NumPy element types Blindspot reads and writes, with their little-endian NPY descriptors.
 * Each is held in Java as one primitive array type, named by {@link #javaType()}.
 */
public enum NpyDtype {
    /** {@code float32}, descriptor {@code <f4}, held as {@code float[]}. */
    FLOAT32("float32", "<f4", 4, "float[]"),
    /** {@code float64}, descriptor {@code <f8}, held as {@code double[]}. */
    FLOAT64("float64", "<f8", 8, "double[]"),
    /** {@code int32}, descriptor {@code <i4}, held as {@code int[]}. */
    INT32("int32", "<i4", 4, "int[]"),
    /** {@code int64}, descriptor {@code <i8}, held as {@code long[]}. */
    INT64("int64", "<i8", 8, "long[]"),
    /** {@code uint8}, descriptor {@code |u1}, held as {@code byte[]} (read as unsigned, 0..255). */
    UINT8("uint8", "|u1", 1, "byte[]"),
    /** {@code bool}, descriptor {@code |b1}, held as {@code boolean[]}; each byte is 0 or 1. */
    BOOL("bool", "|b1", 1, "boolean[]");

    private final String numpyName;
    private final String descriptor;
    private final int itemSize;
    private final String javaType;

    NpyDtype(String numpyName, String descriptor, int itemSize, String javaType) {
        this.numpyName = numpyName;
        this.descriptor = descriptor;
        this.itemSize = itemSize;
        this.javaType = javaType;
    }

    /** NumPy's name for the type, e.g. {@code float32}. */
    public String numpyName() {
        return numpyName;
    }

    /** The descriptor written in NPY headers, e.g. {@code <f4}. */
    public String descriptor() {
        return descriptor;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** The Java array type that holds the elements, e.g. {@code float[]}. */
    public String javaType() {
        return javaType;
    }

    /**
     * The type of a little-endian or byte-order-free descriptor ({@code <f4}, {@code =f4}, {@code
     * |u1}, {@code <u1}, ...), or {@code null} if Blindspot does not support it. Byte-order problems
     * and object arrays are reported by the caller, who knows the file.
     */
    static NpyDtype fromDescriptor(String descriptor) {
        if (descriptor.length() < 2) {
            return null;
        }
        char order = descriptor.charAt(0);
        if (order != '<' && order != '|' && order != '=') {
            return null;
        }
        String kindAndSize = descriptor.substring(1);
        for (NpyDtype dtype : values()) {
            if (dtype.descriptor.substring(1).equals(kindAndSize)) {
                return dtype;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
