/**
 * Import of fully connected classifiers from ONNX files (as {@code torch.onnx.export} writes them)
 * into {@link org.blindspot.engine.model.DenseNetwork}: a small protobuf wire-format reader, the
 * decoded onnx.proto messages the importer needs, and the graph walk that maps Gemm / MatMul + Add /
 * activation nodes to dense layers. Entry point: {@link org.blindspot.engine.model.onnx.OnnxImport}.
 */
package org.blindspot.engine.model.onnx;
