package org.blindspot.engine.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.blindspot.engine.io.BadDataException;
import org.junit.jupiter.api.Test;

/**
 * Graphs the importer must refuse, and one it must read, written field by field with
 * {@link ProtoWriter}: a 3-2 Gemm layer x W^T + c on input x [N, 3], then what each test adds.
 */
class OnnxGraphErrorsTest {

    private static final float[] W = {1, 2, 3, 4, 5, 6};
    private static final float[] C = {0.5f, -0.5f};

    @Test
    void theBaseGraphImports() {
        OnnxImport.Imported imported = OnnxImport.fromBytes("g.onnx", model(graph(List.of(gemm("x", "y")), "y")));
        assertEquals(3, imported.network().inputSize());
        assertEquals(2, imported.network().numClasses());
    }

    @Test
    void anActivationAfterTheLastLayerIsRefused() {
        String message = refused(graph(List.of(gemm("x", "z"), node("Sigmoid", "s", List.of("z"), "y")), "y"));
        assertTrue(message.contains("ends with Sigmoid"), message);
    }

    @Test
    void aBranchIsRefused() {
        String message = refused(graph(List.of(gemm("x", "z"), node("Relu", "r", List.of("z"), "h"),
                node("Add", "skip", List.of("h", "z"), "y")), "y"));
        assertTrue(message.contains("branches"), message);
    }

    @Test
    void aSoftmaxOverTheBatchIsRefused() {
        ProtoWriter softmax = node("Softmax", "sm", List.of("z"), "y")
                .message(5, new ProtoWriter().string(1, "axis").varint(3, 0).varint(20, OnnxAttribute.INT));
        String message = refused(graph(List.of(gemm("x", "z"), softmax), "y"));
        assertTrue(message.contains("axis 0"), message);
    }

    @Test
    void externalDataIsRefused() {
        ProtoWriter w = new ProtoWriter().packedVarints(1, 2, 3).varint(2, OnnxDataType.FLOAT).string(8, "W")
                .message(13, new ProtoWriter().string(1, "location").string(2, "weights.bin")).varint(14, 1);
        String message = refused(graph(List.of(gemm("x", "y")), "y", w));
        assertTrue(message.contains("external"), message);
    }

    @Test
    void halfPrecisionWeightsAreRefusedByName() {
        ProtoWriter w = new ProtoWriter().packedVarints(1, 2, 3).varint(2, 10).string(8, "W").bytes(9, new byte[12]);
        String message = refused(graph(List.of(gemm("x", "y")), "y", w));
        assertTrue(message.contains("FLOAT16"), message);
    }

    @Test
    void aWeightShapeThatDisagreesWithTheDataIsRefused() {
        ProtoWriter w = new ProtoWriter().packedVarints(1, 2, 3).varint(2, OnnxDataType.FLOAT).string(8, "W")
                .packedFloats(4, 1, 2, 3);
        String message = refused(graph(List.of(gemm("x", "y")), "y", w));
        assertTrue(message.contains("holds 3 values, expected 6"), message);
    }

    @Test
    void aFileWithoutAGraphIsNotAModel() {
        String message = assertThrows(BadDataException.class, () -> OnnxImport.fromBytes("g.onnx",
                new ProtoWriter().varint(1, 8).toBytes())).getMessage();
        assertTrue(message.contains("no graph"), message);
    }

    private static String refused(ProtoWriter graph) {
        return assertThrows(BadDataException.class, () -> OnnxImport.fromBytes("g.onnx", model(graph))).getMessage();
    }

    private static byte[] model(ProtoWriter graph) {
        return new ProtoWriter().varint(1, 8).string(2, "test").message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, 13)).toBytes();
    }

    /** Nodes, initializers W [2, 3] and c [2] (W replaced by {@code weights} if given), input x [N, 3]. */
    private static ProtoWriter graph(List<ProtoWriter> nodes, String output, ProtoWriter... weights) {
        ProtoWriter g = new ProtoWriter();
        for (ProtoWriter n : nodes) {
            g.message(1, n);
        }
        g.string(2, "g");
        g.message(5, weights.length > 0 ? weights[0] : tensor("W", new long[] {2, 3}, W));
        g.message(5, tensor("c", new long[] {2}, C));
        g.message(11, valueInfo("x", 3));
        g.message(12, valueInfo(output, 2));
        return g;
    }

    private static ProtoWriter gemm(String in, String out) {
        return node("Gemm", "gemm", List.of(in, "W", "c"), out)
                .message(5, new ProtoWriter().string(1, "transB").varint(3, 1).varint(20, OnnxAttribute.INT));
    }

    private static ProtoWriter node(String op, String name, List<String> inputs, String output) {
        ProtoWriter n = new ProtoWriter();
        for (String in : inputs) {
            n.string(1, in);
        }
        return n.string(2, output).string(3, name).string(4, op);
    }

    private static ProtoWriter tensor(String name, long[] dims, float[] values) {
        return new ProtoWriter().packedVarints(1, dims).varint(2, OnnxDataType.FLOAT).packedFloats(4, values)
                .string(8, name);
    }

    private static ProtoWriter valueInfo(String name, long features) {
        ProtoWriter shape = new ProtoWriter().message(1, new ProtoWriter().string(2, "N"))
                .message(1, new ProtoWriter().varint(1, features));
        ProtoWriter tensorType = new ProtoWriter().varint(1, OnnxDataType.FLOAT).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
