package org.blindspot.engine.model.onnx;

import java.util.List;
import java.util.Map;

/**
 * An ONNX GraphProto, decoded.
 *
 * @param name         the graph's name
 * @param nodes        the nodes, in the file's order (ONNX requires a topological order)
 * @param initializers constant tensors by name (weights, biases, shapes)
 * @param inputs       the declared inputs; files from older exporters list initializers here too
 * @param outputs      the declared outputs
 */
record OnnxGraph(String name, List<OnnxNode> nodes, Map<String, OnnxTensor> initializers, List<OnnxValueInfo> inputs,
                 List<OnnxValueInfo> outputs) {
}
