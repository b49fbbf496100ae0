package org.blindspot.engine.model.onnx;

import java.util.Arrays;

/**
 * An ONNX TensorProto, decoded: a constant (an initializer, or a Constant node's value).
 *
 * @param name     the tensor's name ("" for an attribute value)
 * @param dims     the shape, outermost first ([] for a scalar)
 * @param dataType the ONNX element type ({@link OnnxDataType})
 * @param values   the elements in row-major order, as doubles: exact for FLOAT, DOUBLE and the
 *                 integer types up to 2^53 (shapes and axes)
 */
record OnnxTensor(String name, long[] dims, int dataType, double[] values) {

    /** Number of elements: the product of the dims. */
    int size() {
        return values.length;
    }

    /** The shape as text, e.g. "[784, 100]". */
    String shapeString() {
        return Arrays.toString(dims);
    }
}
