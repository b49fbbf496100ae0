package org.blindspot.engine.model.onnx;

import java.util.List;
import java.util.Map;

/**
 * An ONNX NodeProto, decoded: one operator call.
 *
 * @param name       the node's name (may be empty)
 * @param opType     the operator, e.g. "Gemm"
 * @param domain     the operator set's domain ("" or "ai.onnx" for the standard one)
 * @param inputs     input tensor names in order ("" for a left-out optional input)
 * @param outputs    output tensor names in order
 * @param attributes attributes by name
 */
record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                Map<String, OnnxAttribute> attributes) {

    /** How error messages name the node: "Gemm node '/fc1/Gemm'". */
    String describe() {
        return opType + " node '" + (name.isEmpty() ? String.join(",", outputs) : name) + "'";
    }
}
