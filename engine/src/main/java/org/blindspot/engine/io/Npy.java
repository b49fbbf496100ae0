package org.blindspot.engine.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads and writes single arrays in NumPy's NPY format (numpy.lib.format).
 *
 * <p>Layout: the magic {@code \x93NUMPY}, a major and a minor version byte, the header length
 * (little-endian uint16 in version 1.0, uint32 in 2.0 and 3.0), the header (a Python dict literal
 * with {@code descr}, {@code fortran_order} and {@code shape}, padded with spaces and ended by
 * {@code \n}), then the elements.
 *
 * <p>Reading accepts versions 1.0, 2.0 and 3.0, little-endian (or byte-order-free) data of the
 * types of {@link NpyDtype}, in C order (Fortran order only where it means the same, rank 0 or 1).
 * Big-endian data, object arrays, structured types and other element types are refused with a
 * {@link BadDataException} that names the file and says how to convert it. The data must fill the
 * shape exactly: short data and trailing bytes are both errors.
 *
 * <p>Writing produces version 1.0, little-endian, C order, the header padded so the data start at
 * a multiple of 64 bytes, as NumPy does; files are replaced atomically ({@link AtomicFiles}).
 */
public final class Npy {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final int MAX_HEADER_LENGTH = 1 << 20;
    /** Bytes decoded or encoded per step: a multiple of every item size. */
    private static final int CHUNK = 1 << 16;

    private Npy() {
    }

    /** Reads the array in {@code file}; errors name the file. */
    public static NpyArray read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            return read(file.toString(), in, Files.size(file));
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no such file: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one array from {@code in}, which must end where the array ends; {@code name} (a file
     * name, or "file, array 'W1'") leads every error message. The stream is not closed.
     */
    public static NpyArray read(String name, InputStream in) throws IOException {
        return read(name, in, -1);
    }

    /**
     * As {@link #read(String, InputStream)}; {@code length}, the stream's length in bytes if known
     * (else -1), lets a header that announces more data than there is fail before the array is
     * allocated.
     */
    public static NpyArray read(String name, InputStream in, long length) throws IOException {
        HeaderText headerText = readHeaderText(name, in);
        NpyHeader header = NpyHeader.parse(name, headerText.text());
        NpyDtype dtype = dtypeOf(name, header.descriptor);
        if (header.fortranOrder && header.shape.length > 1) {
            throw new BadDataException(name, "Fortran-order (column-major) array of shape "
                    + NpyArray.shapeString(header.shape)
                    + " is not supported; save np.ascontiguousarray(a) instead");
        }
        int size;
        try {
            size = (int) NpyArray.elementCount(header.shape);
        } catch (IllegalArgumentException e) {
            throw new BadDataException(name, e.getMessage());
        }
        long needed = (long) size * dtype.itemSize();
        if (length >= 0) {
            long available = length - headerText.bytes();
            if (available < needed) {
                throw truncated(name, header.shape, dtype, needed, available);
            }
        }
        Object data = readData(name, in, dtype, size, header.shape);
        long trailing = in.transferTo(OutputStream.nullOutputStream());
        if (trailing > 0) {
            throw new BadDataException(name, trailing + " trailing bytes after the " + size + " elements of shape "
                    + NpyArray.shapeString(header.shape) + " the header announces");
        }
        return NpyArray.wrap(dtype, data, size, header.shape);
    }

    /** Writes {@code array} to {@code file} (version 1.0), replacing it atomically. */
    public static void write(Path file, NpyArray array) {
        AtomicFiles.write(file, out -> write(out, array));
    }

    /** Writes {@code array} to {@code out} (version 1.0); the stream is not closed. */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        out.write(headerBytes(array.dtype(), array.shape()));
        writeData(out, array);
    }

    /** The header dictionary's text and the number of bytes before the data (magic to padding). */
    private record HeaderText(String text, long bytes) {
    }

    private static HeaderText readHeaderText(String name, InputStream in) throws IOException {
        byte[] preamble = in.readNBytes(MAGIC.length + 2);
        if (preamble.length == 0) {
            throw new BadDataException(name, "empty file, expected an NPY array");
        }
        int compared = Math.min(preamble.length, MAGIC.length);
        if (!Arrays.equals(preamble, 0, compared, MAGIC, 0, compared)) {
            throw new BadDataException(name, "not an NPY file: it starts with " + hex(preamble)
                    + ", expected 93 4e 55 4d 50 59 (\\x93NUMPY)");
        }
        if (preamble.length < MAGIC.length + 2) {
            throw new BadDataException(name, "truncated header: the file holds only " + preamble.length + " bytes");
        }
        int major = preamble[6] & 0xff;
        int minor = preamble[7] & 0xff;
        int lengthBytes = switch (major) {
            case 1 -> 2;
            case 2, 3 -> 4;
            default -> throw new BadDataException(name, "NPY format version " + major + "." + minor
                    + " is not supported, expected 1.0, 2.0 or 3.0");
        };
        byte[] lengthField = in.readNBytes(lengthBytes);
        if (lengthField.length < lengthBytes) {
            throw new BadDataException(name, "truncated header: the header length field is cut off");
        }
        long headerLength = lengthBytes == 2
                ? ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffffL
                : ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        if (headerLength > MAX_HEADER_LENGTH) {
            throw new BadDataException(name, "header length " + headerLength + " bytes, expected at most "
                    + MAX_HEADER_LENGTH + " (garbled file?)");
        }
        byte[] header = in.readNBytes((int) headerLength);
        if (header.length < headerLength) {
            throw new BadDataException(name, "truncated header: it announces " + headerLength
                    + " bytes but the file holds " + header.length);
        }
        return new HeaderText(new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1),
                MAGIC.length + 2 + lengthBytes + headerLength);
    }

    private static NpyDtype dtypeOf(String name, Object descriptor) {
        if (!(descriptor instanceof String text)) {
            throw new BadDataException(name, "structured dtype " + descriptor
                    + " is not supported, expected one of " + supportedTypes());
        }
        if (text.length() >= 2 && text.charAt(1) == 'O') {
            throw new BadDataException(name, "object array (dtype '" + text
                    + "') is not supported: it holds pickled Python objects; expected one of " + supportedTypes());
        }
        NpyDtype dtype = NpyDtype.fromDescriptor(text);
        if (dtype == null && text.startsWith(">")) {
            NpyDtype swapped = NpyDtype.fromDescriptor("<" + text.substring(1));
            if (swapped != null && swapped.itemSize() == 1) {
                return swapped;
            }
            if (swapped != null) {
                throw new BadDataException(name, "big-endian " + swapped + " ('" + text
                        + "') is not supported, expected little-endian '" + swapped.descriptor()
                        + "'; save a.astype('" + swapped.descriptor() + "') instead");
            }
        }
        if (dtype == null) {
            throw new BadDataException(name, "unsupported dtype '" + text + "', expected one of " + supportedTypes());
        }
        return dtype;
    }

    private static String supportedTypes() {
        StringBuilder text = new StringBuilder();
        for (NpyDtype dtype : NpyDtype.values()) {
            text.append(text.length() == 0 ? "" : ", ").append(dtype).append(" (").append(dtype.descriptor()).append(')');
        }
        return text.toString();
    }

    private static Object readData(String name, InputStream in, NpyDtype dtype, int size, long[] shape)
            throws IOException {
        Object data = newArray(dtype, size);
        long needed = (long) size * dtype.itemSize();
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        long done = 0;
        while (done < needed) {
            int want = (int) Math.min(CHUNK, needed - done);
            int got = in.readNBytes(chunk, 0, want);
            if (got < want) {
                throw truncated(name, shape, dtype, needed, done + got);
            }
            decode(name, buffer.clear().limit(want), dtype, data, (int) (done / dtype.itemSize()));
            done += want;
        }
        return data;
    }

    private static BadDataException truncated(String name, long[] shape, NpyDtype dtype, long needed, long held) {
        return new BadDataException(name, "truncated data: shape " + NpyArray.shapeString(shape) + " of " + dtype
                + " needs " + needed + " bytes but the file holds " + held);
    }

    private static Object newArray(NpyDtype dtype, int size) {
        return switch (dtype) {
            case FLOAT32 -> new float[size];
            case FLOAT64 -> new double[size];
            case INT32 -> new int[size];
            case INT64 -> new long[size];
            case UINT8 -> new byte[size];
            case BOOL -> new boolean[size];
        };
    }

    /** Decodes the little-endian elements in {@code bytes} into {@code data} from index {@code at}. */
    private static void decode(String name, ByteBuffer bytes, NpyDtype dtype, Object data, int at) {
        int count = bytes.remaining() / dtype.itemSize();
        switch (dtype) {
            case FLOAT32 -> bytes.asFloatBuffer().get((float[]) data, at, count);
            case FLOAT64 -> bytes.asDoubleBuffer().get((double[]) data, at, count);
            case INT32 -> bytes.asIntBuffer().get((int[]) data, at, count);
            case INT64 -> bytes.asLongBuffer().get((long[]) data, at, count);
            case UINT8 -> bytes.get((byte[]) data, at, count);
            case BOOL -> {
                boolean[] out = (boolean[]) data;
                for (int i = 0; i < count; i++) {
                    byte value = bytes.get();
                    if (value != 0 && value != 1) {
                        throw new BadDataException(name, "bool element " + (at + i) + " is byte " + (value & 0xff)
                                + ", expected 0 or 1");
                    }
                    out[at + i] = value == 1;
                }
            }
        }
    }

    static byte[] headerBytes(NpyDtype dtype, long[] shape) {
        String dictionary = NpyHeader.format(dtype, shape);
        int unpadded = MAGIC.length + 2 + 2 + dictionary.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        String header = dictionary + " ".repeat(padding) + "\n";
        if (header.length() > 0xffff) {
            throw new IllegalArgumentException("NPY 1.0 header of " + header.length() + " bytes is too long");
        }
        ByteBuffer bytes = ByteBuffer.allocate(MAGIC.length + 4 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        bytes.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return bytes.array();
    }

    private static void writeData(OutputStream out, NpyArray array) throws IOException {
        NpyDtype dtype = array.dtype();
        Object data = array.data();
        if (dtype == NpyDtype.UINT8) {
            out.write((byte[]) data);
            return;
        }
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = CHUNK / dtype.itemSize();
        for (int at = 0; at < array.size(); at += perChunk) {
            int count = Math.min(perChunk, array.size() - at);
            buffer.clear();
            switch (dtype) {
                case FLOAT32 -> buffer.asFloatBuffer().put((float[]) data, at, count);
                case FLOAT64 -> buffer.asDoubleBuffer().put((double[]) data, at, count);
                case INT32 -> buffer.asIntBuffer().put((int[]) data, at, count);
                case INT64 -> buffer.asLongBuffer().put((long[]) data, at, count);
                case BOOL -> {
                    boolean[] values = (boolean[]) data;
                    for (int i = 0; i < count; i++) {
                        chunk[i] = (byte) (values[at + i] ? 1 : 0);
                    }
                }
                case UINT8 -> throw new AssertionError("written above");
            }
            out.write(chunk, 0, count * dtype.itemSize());
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, MAGIC.length); i++) {
            text.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xff));
        }
        return text.toString();
    }
}
