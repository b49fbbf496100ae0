package org.blindspot.engine.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.blindspot.engine.io.BadDataException;

/**
 * Reads IDX files, the format of the MNIST database (LeCun, Cortes, Burges): a big-endian header
 * (magic number {@code 00 00 TT DD}: type byte {@code TT}, {@code DD} dimensions; then one
 * big-endian uint32 per dimension) followed by the data. Images are {@code 0x00000803} with
 * dimensions (count, rows, cols); labels are {@code 0x00000801} with dimension (count).
 *
 * <p>Files may be gzip-compressed; compression is recognised by the gzip magic bytes {@code 1f
 * 8b}, never by the file name. Every check fails with a {@link BadDataException} naming the file,
 * what was found and what was expected: magic number, type byte (only unsigned byte, {@code 0x08}),
 * number of dimensions, positive and sane dimensions, data length exactly as announced (short data
 * and trailing bytes are both errors), labels in 0..9, and, for a pair of files, equal counts.
 */
public final class IdxReader {

    /** Magic number of an images file: unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a labels file: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The IDX type byte of unsigned bytes, the only type MNIST uses. */
    static final int UNSIGNED_BYTE = 0x08;
    /** Largest image side accepted: a guard against garbled headers, far above MNIST's 28. */
    static final int MAX_SIDE = 1 << 14;

    private static final int GZIP_MAGIC = 0x1f8b;

    private IdxReader() {
    }

    /** Reads an images file, raw or gzip. */
    public static IdxImages readImages(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return readImages(file.toString(), in);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no such file: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an images file from {@code in} (raw or gzip, read to its end, not closed); {@code
     * source} names it in errors.
     */
    public static IdxImages readImages(String source, InputStream in) throws IOException {
        try {
            InputStream data = decompressed(source, in);
            int[] dimensions = readHeader(source, data, IMAGES_MAGIC, "images", 3);
            int count = dimensions[0];
            int rows = dimensions[1];
            int cols = dimensions[2];
            if (rows > MAX_SIDE || cols > MAX_SIDE || (long) count * rows * cols > Integer.MAX_VALUE - 8) {
                throw new BadDataException(source, "implausible image dimensions " + count + " x " + rows + " x "
                        + cols + ", expected sides up to " + MAX_SIDE + " and at most 2^31 pixels in all");
            }
            int expected = count * rows * cols;
            byte[] pixels = data.readNBytes(expected);
            if (pixels.length < expected) {
                throw new BadDataException(source, "truncated: header says " + count + " images of " + rows + "x"
                        + cols + " (" + expected + " bytes) but the file holds " + pixels.length + " bytes of data");
            }
            checkEnd(source, data, count + " images");
            return new IdxImages(count, rows, cols, pixels);
        } catch (EOFException | ZipException e) {
            throw gzipError(source, e);
        }
    }

    /** Reads a labels file, raw or gzip; every label is in 0..9. */
    public static int[] readLabels(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return readLabels(file.toString(), in);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no such file: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a labels file from {@code in} (raw or gzip, read to its end, not closed); {@code source}
     * names it in errors.
     */
    public static int[] readLabels(String source, InputStream in) throws IOException {
        try {
            InputStream data = decompressed(source, in);
            int count = readHeader(source, data, LABELS_MAGIC, "labels", 1)[0];
            if (count > Integer.MAX_VALUE - 8) {
                throw new BadDataException(source, "implausible label count " + count);
            }
            byte[] bytes = data.readNBytes(count);
            if (bytes.length < count) {
                throw new BadDataException(source, "truncated: header says " + count
                        + " labels but the file holds " + bytes.length + " bytes of data");
            }
            checkEnd(source, data, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xff;
                if (labels[i] >= Dataset.CLASSES) {
                    throw new BadDataException(source, "label " + labels[i] + " at index " + i + ", expected 0.."
                            + (Dataset.CLASSES - 1));
                }
            }
            return labels;
        } catch (EOFException | ZipException e) {
            throw gzipError(source, e);
        }
    }

    /**
     * Reads an images file and its labels file into a data set, checking that they hold the same
     * number of examples.
     */
    public static Dataset readDataset(String name, Path imagesFile, Path labelsFile) {
        return pair(name, readImages(imagesFile), imagesFile.toString(), readLabels(labelsFile), labelsFile.toString());
    }

    /** Joins images and labels read from the named files, checking that their counts agree. */
    static Dataset pair(String name, IdxImages images, String imagesSource, int[] labels, String labelsSource) {
        if (images.count() != labels.length) {
            throw new BadDataException(imagesSource, "holds " + images.count() + " images but its labels file "
                    + labelsSource + " holds " + labels.length + " labels; expected the same count");
        }
        return Dataset.fromBytes(name, images.rows(), images.cols(), images.pixels(), labels);
    }

    /**
     * {@code in} itself, or a gunzipping view of it if it starts with the gzip magic {@code 1f 8b}.
     * An IDX file never starts so: its first byte is 0.
     */
    static InputStream decompressed(String source, InputStream in) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(new BufferedInputStream(in, 1 << 16), 2);
        byte[] first = peek.readNBytes(2);
        peek.unread(first);
        if (first.length == 2 && ((first[0] & 0xff) << 8 | (first[1] & 0xff)) == GZIP_MAGIC) {
            try {
                return new BufferedInputStream(new GZIPInputStream(peek, 1 << 16), 1 << 16);
            } catch (EOFException | ZipException e) {
                throw gzipError(source, e);
            }
        }
        return peek;
    }

    /** Reads and checks the magic number and the dimensions; returns the dimensions. */
    private static int[] readHeader(String source, InputStream in, int magic, String kind, int rank)
            throws IOException {
        int headerSize = 4 + 4 * rank;
        byte[] header = in.readNBytes(headerSize);
        if (header.length == 0) {
            throw new BadDataException(source, "empty file, expected an IDX " + kind + " file");
        }
        if (header[0] != 0 || header.length > 1 && header[1] != 0) {
            throw new BadDataException(source, "bad magic number " + hex(header) + ", expected "
                    + String.format("0x%08x", magic) + " (IDX " + kind + ")");
        }
        if (header.length < 4) {
            throw new BadDataException(source, "truncated header: " + header.length + " bytes, an IDX " + kind
                    + " header needs " + headerSize);
        }
        int type = header[2] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new BadDataException(source, String.format("data type byte 0x%02x (%s), expected 0x08 (unsigned byte)",
                    type, typeName(type)));
        }
        int dimensions = header[3] & 0xff;
        if (dimensions != rank) {
            throw new BadDataException(source, dimensions + " dimensions (magic " + String.format("0x%08x",
                    ByteBuffer.wrap(header).getInt()) + "), expected " + rank + " for IDX " + kind + " (magic "
                    + String.format("0x%08x", magic) + ")");
        }
        if (header.length < headerSize) {
            throw new BadDataException(source, "truncated header: " + header.length + " bytes, an IDX " + kind
                    + " header needs " + headerSize);
        }
        ByteBuffer buffer = ByteBuffer.wrap(header, 4, 4 * rank);
        int[] sizes = new int[rank];
        for (int i = 0; i < rank; i++) {
            long size = buffer.getInt() & 0xffffffffL;
            if (size == 0 || size > Integer.MAX_VALUE) {
                throw new BadDataException(source, "dimension " + i + " of the header is " + size
                        + ", expected a positive size below 2^31");
            }
            sizes[i] = (int) size;
        }
        return sizes;
    }

    private static void checkEnd(String source, InputStream in, String announced) throws IOException {
        long trailing = in.transferTo(OutputStream.nullOutputStream());
        if (trailing > 0) {
            throw new BadDataException(source, trailing + " trailing bytes after the " + announced
                    + " the header announces; expected the file to end there");
        }
    }

    private static BadDataException gzipError(String source, IOException e) {
        return new BadDataException(source, "gzip stream is cut off or corrupt (" + e.getMessage()
                + "); expected a complete gzip file", e);
    }

    private static String hex(byte[] header) {
        StringBuilder text = new StringBuilder("0x");
        for (int i = 0; i < Math.min(4, header.length); i++) {
            text.append(String.format("%02x", header[i] & 0xff));
        }
        return text.toString();
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0b -> "short";
            case 0x0c -> "int";
            case 0x0d -> "float";
            case 0x0e -> "double";
            default -> "not an IDX type";
        };
    }
}
