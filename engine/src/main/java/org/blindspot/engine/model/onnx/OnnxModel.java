package org.blindspot.engine.model.onnx;

import java.util.Map;

/**
 * An ONNX ModelProto, decoded as far as the importer needs.
 *
 * @param irVersion       the IR version (7 and 8 from torch 1.13)
 * @param opsets          operator set version by domain ("" is the standard domain)
 * @param producerName    e.g. "pytorch"
 * @param producerVersion e.g. "1.13.0"
 * @param graph           the main graph
 */
record OnnxModel(long irVersion, Map<String, Long> opsets, String producerName, String producerVersion,
                 OnnxGraph graph) {
}
