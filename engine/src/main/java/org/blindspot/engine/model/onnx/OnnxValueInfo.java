package org.blindspot.engine.model.onnx;

import java.util.Arrays;

/**
 * An ONNX ValueInfoProto of a tensor type, decoded: a graph input or output.
 *
 * @param name     the tensor's name
 * @param elemType the element type ({@link OnnxDataType}; 0 if not given)
 * @param dims     the shape, -1 for a symbolic or unknown dimension ("batch"); null if no shape is given
 */
record OnnxValueInfo(String name, int elemType, long[] dims) {

    /** The shape as text, "?" for an unknown dimension, e.g. "[?, 784]". */
    String shapeString() {
        return dims == null ? "(no shape)" : Arrays.toString(dims).replace("-1", "?");
    }
}
