package org.blindspot.engine.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.blindspot.engine.io.BadDataException;
import org.junit.jupiter.api.Test;

/** The wire-format reader on bytes written by hand (protobuf.dev's encoding examples) and by {@link ProtoWriter}. */
class OnnxProtobufReaderTest {

    @Test
    void readsTheDocumentedExample() {
        // protobuf.dev "Encoding": field 1 = 150 is 08 96 01
        ProtobufReader r = new ProtobufReader("t", new byte[] {0x08, (byte) 0x96, 0x01});
        assertEquals(1, r.nextField());
        assertEquals(ProtobufReader.VARINT, r.wireType());
        assertEquals(150, r.readInt64());
        assertFalse(r.hasMore());
    }

    @Test
    void readsEveryWireTypeAndSkipsUnknownFields() {
        byte[] bytes = new ProtoWriter().varint(1, -2).fixed32(2, Float.floatToIntBits(1.5f)).string(3, "Gemm")
                .varint(99, 7).packedFloats(4, 0.25f, -3f).packedVarints(5, 1, 300, 1L << 40).varint(5, 9)
                .message(6, new ProtoWriter().varint(1, 42)).toBytes();
        ProtobufReader r = new ProtobufReader("t", bytes);
        assertEquals(1, r.nextField());
        assertEquals(-2, r.readInt64(), "negative int64: ten-byte varint");
        assertEquals(2, r.nextField());
        assertEquals(1.5f, r.readFloat());
        assertEquals(3, r.nextField());
        assertEquals("Gemm", r.readString());
        assertEquals(99, r.nextField());
        r.skip();
        assertEquals(4, r.nextField());
        assertArrayEquals(new float[] {0.25f, -3f}, r.readFloats());
        assertEquals(5, r.nextField());
        assertArrayEquals(new long[] {1, 300, 1L << 40}, r.readVarints());
        assertEquals(5, r.nextField());
        assertArrayEquals(new long[] {9}, r.readVarints(), "an unpacked element of a repeated field");
        assertEquals(6, r.nextField());
        ProtobufReader inner = r.readMessage();
        assertEquals(1, inner.nextField());
        assertEquals(42, inner.readInt64());
        assertFalse(r.hasMore());
    }

    @Test
    void aLengthPastTheEndIsReportedWithItsOffset() {
        byte[] bytes = {0x0A, 0x05, 'a', 'b'};
        ProtobufReader r = new ProtobufReader("m.onnx", bytes);
        r.nextField();
        BadDataException e = assertThrows(BadDataException.class, r::readString);
        assertTrue(e.getMessage().startsWith("m.onnx: "), e.getMessage());
        assertTrue(e.getMessage().contains("at byte 1"), e.getMessage());
    }

    @Test
    void corruptTagsAndVarintsAreRefused() {
        assertThrows(BadDataException.class, () -> new ProtobufReader("t", new byte[] {0x0B}).nextField(),
                "wire type 3 (group)");
        assertThrows(BadDataException.class, () -> new ProtobufReader("t", new byte[] {0x00}).nextField(),
                "field number 0");
        assertThrows(BadDataException.class, () -> new ProtobufReader("t", new byte[] {(byte) 0x80}).nextField(),
                "unfinished varint");
        byte[] eleven = new byte[11];
        java.util.Arrays.fill(eleven, (byte) 0xFF);
        assertThrows(BadDataException.class, () -> new ProtobufReader("t", eleven).readVarint());
        ProtobufReader r = new ProtobufReader("t", new ProtoWriter().bytes(1, new byte[] {1, 2, 3}).toBytes());
        r.nextField();
        assertThrows(BadDataException.class, r::readFloats, "3 bytes are no packed floats");
    }
}
