package org.blindspot.engine.model.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A minimal protobuf writer for tests: builds messages field by field. */
final class ProtoWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(int field, long value) {
        tag(field, ProtobufReader.VARINT);
        raw(value);
        return this;
    }

    ProtoWriter fixed32(int field, int value) {
        tag(field, ProtobufReader.FIXED32);
        for (int k = 0; k < 4; k++) {
            out.write(value >>> (8 * k));
        }
        return this;
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, ProtobufReader.LENGTH_DELIMITED);
        raw(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter message(int field, ProtoWriter value) {
        return bytes(field, value.toBytes());
    }

    /** A packed run of floats as one length-delimited field. */
    ProtoWriter packedFloats(int field, float... values) {
        ProtoWriter run = new ProtoWriter();
        for (float v : values) {
            int bits = Float.floatToIntBits(v);
            for (int k = 0; k < 4; k++) {
                run.out.write(bits >>> (8 * k));
            }
        }
        return bytes(field, run.toBytes());
    }

    /** A packed run of varints as one length-delimited field. */
    ProtoWriter packedVarints(int field, long... values) {
        ProtoWriter run = new ProtoWriter();
        for (long v : values) {
            run.raw(v);
        }
        return bytes(field, run.toBytes());
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        raw((long) field << 3 | wireType);
    }

    private void raw(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
