package org.blindspot.engine.model.onnx;

/**
 * An ONNX AttributeProto, decoded: a name and one value of the kind {@code type} says.
 *
 * @param name   the attribute's name, e.g. "transB"
 * @param type   AttributeType: 1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 6 FLOATS, 7 INTS, others unused
 *               here (0 when the file leaves it out, as IR version 1 did)
 * @param f      the FLOAT value
 * @param i      the INT value
 * @param s      the STRING value (UTF-8), or null
 * @param t      the TENSOR value, or null
 * @param floats the FLOATS value (empty if none)
 * @param ints   the INTS value (empty if none)
 */
record OnnxAttribute(String name, int type, float f, long i, String s, OnnxTensor t, float[] floats, long[] ints) {

    static final int FLOAT = 1;
    static final int INT = 2;
    static final int STRING = 3;
    static final int TENSOR = 4;
    static final int FLOATS = 6;
    static final int INTS = 7;
}
