package org.blindspot.engine.model.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.blindspot.engine.io.BadDataException;

/**
 * A reader of the protocol buffers wire format over one message held in a byte array: a sequence
 * of fields, each a tag {@code (field number << 3) | wire type} followed by its value
 * (https://protobuf.dev/programming-guides/encoding/).
 *
 * <ul>
 *   <li>wire type 0, varint: 7 bits per byte, least significant group first, high bit = more;</li>
 *   <li>wire type 1, fixed64: 8 bytes little-endian (double, fixed64);</li>
 *   <li>wire type 2, length-delimited: a varint length, then that many bytes (strings, bytes,
 *       embedded messages, packed repeated fields);</li>
 *   <li>wire type 5, fixed32: 4 bytes little-endian (float, fixed32).</li>
 * </ul>
 *
 * Groups (wire types 3 and 4, deprecated) and unknown wire types are refused. Every read checks
 * that the bytes are there: a truncated or corrupt file gives a {@link BadDataException} naming the
 * file and the byte offset, never an index error.
 *
 * <p>Usage: {@code while (r.hasMore()) { switch (r.nextField()) { case 1 -> ...; default -> r.skip(); } }}.
 */
final class ProtobufReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final String source;
    private final byte[] bytes;
    private final int end;
    private int position;
    private int wireType = -1;
    private int field;

    /** A reader of the message filling {@code bytes}; {@code source} leads error messages. */
    ProtobufReader(String source, byte[] bytes) {
        this(source, bytes, 0, bytes.length);
    }

    private ProtobufReader(String source, byte[] bytes, int from, int to) {
        this.source = source;
        this.bytes = bytes;
        this.position = from;
        this.end = to;
    }

    /** The file name errors start with. */
    String source() {
        return source;
    }

    /** Whether another field follows. */
    boolean hasMore() {
        return position < end;
    }

    /** Reads the next tag; returns its field number (the wire type is then {@link #wireType()}). */
    int nextField() {
        int at = position;
        long tag = readVarint();
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (tag >>> 3 == 0 || tag >>> 3 > 0x1FFFFFFFL) {
            throw corrupt(at, "invalid field number " + (tag >>> 3));
        }
        if (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH_DELIMITED && wireType != FIXED32) {
            throw corrupt(at, "field " + field + " has wire type " + wireType
                    + " (groups and unknown types are not protobuf 3 data)");
        }
        return field;
    }

    /** The wire type of the field {@link #nextField()} returned. */
    int wireType() {
        return wireType;
    }

    /** Reads a varint (int32, int64, uint64, enum, bool): the raw 64 bits. */
    long readVarint() {
        int at = position;
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw truncated(at, "a varint runs past the end of its message");
            }
            byte b = bytes[position++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw corrupt(at, "a varint longer than 10 bytes");
    }

    /** Reads 4 little-endian bytes. */
    int readFixed32() {
        need(4, "a fixed32 value");
        int value = (bytes[position] & 0xFF) | (bytes[position + 1] & 0xFF) << 8
                | (bytes[position + 2] & 0xFF) << 16 | (bytes[position + 3] & 0xFF) << 24;
        position += 4;
        return value;
    }

    /** Reads 8 little-endian bytes. */
    long readFixed64() {
        need(8, "a fixed64 value");
        long low = readFixed32() & 0xFFFFFFFFL;
        long high = readFixed32() & 0xFFFFFFFFL;
        return low | high << 32;
    }

    /** The current field's value as a float (wire type 5). */
    float readFloat() {
        expect(FIXED32);
        return Float.intBitsToFloat(readFixed32());
    }

    /** The current field's value as an int64 (wire type 0). */
    long readInt64() {
        expect(VARINT);
        return readVarint();
    }

    /** The current field's bytes (wire type 2), copied. */
    byte[] readBytes() {
        int length = readLength();
        byte[] copy = new byte[length];
        System.arraycopy(bytes, position, copy, 0, length);
        position += length;
        return copy;
    }

    /** The current field's value as a UTF-8 string (wire type 2). */
    String readString() {
        int length = readLength();
        String s = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    /** A reader of the embedded message in the current field (wire type 2); this reader moves past it. */
    ProtobufReader readMessage() {
        int length = readLength();
        ProtobufReader child = new ProtobufReader(source, bytes, position, position + length);
        position += length;
        return child;
    }

    /**
     * The current repeated varint field's values: one value (wire type 0) or a packed run (wire type 2).
     */
    long[] readVarints() {
        if (wireType == VARINT) {
            return new long[] {readVarint()};
        }
        ProtobufReader packed = readMessage();
        long[] values = new long[Math.min(packed.end - packed.position, 16)];
        int count = 0;
        while (packed.hasMore()) {
            if (count == values.length) {
                values = Arrays.copyOf(values, Math.min(2 * count, packed.end - packed.position + count));
            }
            values[count++] = packed.readVarint();
        }
        return Arrays.copyOf(values, count);
    }

    /** The current repeated float field's values: one (wire type 5) or a packed run (wire type 2). */
    float[] readFloats() {
        if (wireType == FIXED32) {
            return new float[] {Float.intBitsToFloat(readFixed32())};
        }
        ProtobufReader packed = packedRun(4, "float");
        float[] values = new float[(packed.end - packed.position) / 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(packed.readFixed32());
        }
        return values;
    }

    /** The current repeated double field's values: one (wire type 1) or a packed run (wire type 2). */
    double[] readDoubles() {
        if (wireType == FIXED64) {
            return new double[] {Double.longBitsToDouble(readFixed64())};
        }
        ProtobufReader packed = packedRun(8, "double");
        double[] values = new double[(packed.end - packed.position) / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(packed.readFixed64());
        }
        return values;
    }

    /** Skips the current field's value, whatever its wire type. */
    void skip() {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                need(8, "a fixed64 value");
                position += 8;
            }
            case FIXED32 -> {
                need(4, "a fixed32 value");
                position += 4;
            }
            case LENGTH_DELIMITED -> {
                int length = readLength();
                position += length;
            }
            default -> throw new IllegalStateException("skip: no field read");
        }
    }

    private ProtobufReader packedRun(int width, String what) {
        int at = position;
        ProtobufReader packed = readMessage();
        if ((packed.end - packed.position) % width != 0) {
            throw corrupt(at, "packed " + what + " field " + field + " holds " + (packed.end - packed.position)
                    + " bytes, not a multiple of " + width);
        }
        return packed;
    }

    /** Reads a length prefix and checks that many bytes follow; leaves the position at the data. */
    private int readLength() {
        expect(LENGTH_DELIMITED);
        int at = position;
        long length = readVarint();
        if (length < 0 || length > end - position) {
            throw truncated(at, "field " + field + " announces " + Long.toUnsignedString(length)
                    + " bytes but its message has " + (end - position) + " left");
        }
        return (int) length;
    }

    private void expect(int type) {
        if (wireType != type) {
            throw corrupt(position, "field " + field + " has wire type " + wireType + ", expected " + type);
        }
    }

    private void need(int count, String what) {
        if (end - position < count) {
            throw truncated(position, what + " runs past the end of its message");
        }
    }

    private BadDataException truncated(int at, String what) {
        return new BadDataException(source, "not a valid ONNX file (truncated or corrupt protobuf): at byte " + at
                + ", " + what);
    }

    private BadDataException corrupt(int at, String what) {
        return new BadDataException(source, "not a valid ONNX file (corrupt protobuf): at byte " + at + ", " + what);
    }
}
