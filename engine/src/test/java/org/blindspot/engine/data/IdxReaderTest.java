package org.blindspot.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.blindspot.engine.io.BadDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX round trips (raw and gzip) and every corruption the reader must name. */
class IdxReaderTest {

    /** Three 2x2 images with pixels 0, 1, ..., 11 and 255 as the last; labels 7, 0, 9. */
    static final IdxImages IMAGES = new IdxImages(3, 2, 2, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255});
    static final int[] LABELS = {7, 0, 9};

    @TempDir
    Path folder;

    @Test
    void roundTripsRawAndGzip() throws IOException {
        for (String suffix : new String[] {"", ".gz"}) {
            Path images = folder.resolve("images" + suffix);
            Path labels = folder.resolve("labels" + suffix);
            IdxWriter.writeImages(images, IMAGES);
            IdxWriter.writeLabels(labels, LABELS);
            IdxImages back = IdxReader.readImages(images);
            assertEquals(3, back.count());
            assertEquals(2, back.rows());
            assertEquals(2, back.cols());
            assertArrayEquals(IMAGES.pixels(), back.pixels());
            assertArrayEquals(LABELS, IdxReader.readLabels(labels));
        }
        byte[] gzip = Files.readAllBytes(folder.resolve("images.gz"));
        assertEquals(0x1f, gzip[0] & 0xff);
        assertEquals(0x8b, gzip[1] & 0xff);
        assertEquals(16 + 12, Files.size(folder.resolve("images")));
    }

    @Test
    void detectsGzipByContentNotByName() throws IOException {
        Path rawNamedGz = folder.resolve("raw.gz");
        Files.write(rawNamedGz, imageBytes());
        Path gzipNamedRaw = folder.resolve("gzip-named-raw");
        Files.write(gzipNamedRaw, gzip(imageBytes()));
        assertArrayEquals(IMAGES.pixels(), IdxReader.readImages(rawNamedGz).pixels());
        assertArrayEquals(IMAGES.pixels(), IdxReader.readImages(gzipNamedRaw).pixels());
    }

    @Test
    void readsADatasetScaledToTheUnitInterval() {
        Path images = folder.resolve("i");
        Path labels = folder.resolve("l.gz");
        IdxWriter.writeImages(images, IMAGES);
        IdxWriter.writeLabels(labels, LABELS);
        Dataset dataset = IdxReader.readDataset("tiny", images, labels);
        assertEquals(3, dataset.count());
        assertEquals(4, dataset.inputSize());
        assertArrayEquals(new float[] {8 / 255f, 9 / 255f, 10 / 255f, 1f}, dataset.image(2));
        assertArrayEquals(LABELS, dataset.labels());
        assertArrayEquals(IMAGES.pixels(), IdxWriter.toImages(dataset).pixels());
    }

    @Test
    void rejectsAnEmptyFile() throws IOException {
        assertImagesError(new byte[0], "empty file, expected an IDX images file");
        assertLabelsError(new byte[0], "empty file, expected an IDX labels file");
    }

    @Test
    void rejectsABadMagicNumber() throws IOException {
        assertImagesError(with(imageBytes(), 0, 0x12), "bad magic number 0x12000803, expected 0x00000803 (IDX images)");
        assertLabelsError("PK\3\4 not idx".getBytes(), "bad magic number 0x504b0304, expected 0x00000801");
    }

    @Test
    void rejectsAWrongTypeByte() throws IOException {
        assertImagesError(with(imageBytes(), 2, 0x0d), "data type byte 0x0d (float), expected 0x08 (unsigned byte)");
        assertLabelsError(with(labelBytes(), 2, 0x0c), "data type byte 0x0c (int), expected 0x08");
    }

    @Test
    void rejectsWrongDimensions() throws IOException {
        assertLabelsError(imageBytes(), "3 dimensions (magic 0x00000803), expected 1 for IDX labels");
        assertImagesError(labelBytes(), "1 dimensions (magic 0x00000801), expected 3 for IDX images");
        assertImagesError(with(imageBytes(), 7, 0), "dimension 0 of the header is 0, expected a positive size");
        byte[] huge = with(with(imageBytes(), 8, 0x7f), 11, 0xff);
        assertImagesError(huge, "implausible image dimensions");
        byte[] unsigned = with(labelBytes(), 4, 0xff);
        assertLabelsError(unsigned, "expected a positive size below 2^31");
    }

    @Test
    void rejectsATruncatedHeader() throws IOException {
        assertImagesError(Arrays.copyOf(imageBytes(), 10), "truncated header: 10 bytes, an IDX images header needs 16");
        assertLabelsError(Arrays.copyOf(labelBytes(), 3), "truncated header: 3 bytes");
        assertLabelsError(Arrays.copyOf(labelBytes(), 6), "truncated header: 6 bytes, an IDX labels header needs 8");
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        byte[] images = imageBytes();
        assertImagesError(Arrays.copyOf(images, images.length - 1),
                "truncated: header says 3 images of 2x2 (12 bytes) but the file holds 11 bytes of data");
        byte[] labels = labelBytes();
        assertLabelsError(Arrays.copyOf(labels, labels.length - 2),
                "truncated: header says 3 labels but the file holds 1 bytes of data");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        assertImagesError(Arrays.copyOf(imageBytes(), 16 + 12 + 5),
                "5 trailing bytes after the 3 images the header announces");
        assertLabelsError(Arrays.copyOf(labelBytes(), 8 + 3 + 1), "1 trailing bytes after the 3 labels");
    }

    @Test
    void rejectsALabelOutOfRange() throws IOException {
        assertLabelsError(with(labelBytes(), 9, 10), "label 10 at index 1, expected 0..9");
        assertLabelsError(with(labelBytes(), 10, 0xff), "label 255 at index 2, expected 0..9");
    }

    @Test
    void rejectsImagesAndLabelsOfDifferentCounts() {
        Path images = folder.resolve("images");
        Path labels = folder.resolve("labels");
        IdxWriter.writeImages(images, IMAGES);
        IdxWriter.writeLabels(labels, new int[] {1, 2});
        BadDataException e = assertThrows(BadDataException.class, () -> IdxReader.readDataset("x", images, labels));
        assertEquals(images + ": holds 3 images but its labels file " + labels
                + " holds 2 labels; expected the same count", e.getMessage());
    }

    @Test
    void writesOnlyLabelsTheReaderAccepts() {
        assertThrows(IllegalArgumentException.class,
                () -> IdxWriter.writeLabels(folder.resolve("l"), new int[] {1, 10}));
    }

    @Test
    void rejectsAGzipStreamCutOff() throws IOException {
        byte[] big = new byte[16 + 100 * 28 * 28];
        System.arraycopy(imageBytes(), 0, big, 0, 16);
        big[7] = 100;
        big[11] = 28;
        big[15] = 28;
        for (int i = 16; i < big.length; i++) {
            big[i] = (byte) (i * 31 % 251);
        }
        byte[] gzip = gzip(big);
        assertImagesError(Arrays.copyOf(gzip, gzip.length / 2), "gzip stream is cut off or corrupt");
        assertImagesError(Arrays.copyOf(gzip, gzip.length - 4), "gzip stream is cut off or corrupt");
        assertImagesError(Arrays.copyOf(gzip, 5), "gzip stream is cut off or corrupt");
        assertArrayEquals(Arrays.copyOfRange(big, 16, big.length), read(gzip, IdxReader::readImages).pixels());
    }

    static byte[] imageBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxWriter.writeImages(out, IMAGES);
        return out.toByteArray();
    }

    static byte[] labelBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxWriter.writeLabels(out, LABELS);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] with(byte[] bytes, int index, int value) {
        byte[] changed = bytes.clone();
        changed[index] = (byte) value;
        return changed;
    }

    private <T> T read(byte[] bytes, Function<Path, T> reader) throws IOException {
        Path file = Files.write(folder.resolve("file-" + System.nanoTime()), bytes);
        return reader.apply(file);
    }

    private void assertImagesError(byte[] bytes, String expected) throws IOException {
        assertError(bytes, IdxReader::readImages, expected);
    }

    private void assertLabelsError(byte[] bytes, String expected) throws IOException {
        assertError(bytes, IdxReader::readLabels, expected);
    }

    private void assertError(byte[] bytes, Function<Path, ?> reader, String expected) throws IOException {
        Path file = Files.write(folder.resolve("bad-" + System.nanoTime()), bytes);
        BadDataException e = assertThrows(BadDataException.class, () -> reader.apply(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
