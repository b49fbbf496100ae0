package org.blindspot.engine.data;

import org.blindspot.engine.testing.TestData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.blindspot.engine.io.BadDataException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real MNIST files (read once each), checksum checks, and the P1/P2 halves on synthetic files. */
class MnistTest {

    private static Dataset train;
    private static Dataset test;

    @TempDir
    Path folder;

    @BeforeAll
    static void loadOnce() {
        train = Mnist.load(TestData.mnist(), Split.TRAIN);
        test = Mnist.load(TestData.mnist(), Split.TEST);
    }

    @Test
    void loadsTheTrainingAndTestSets() {
        assertEquals(60_000, train.count());
        assertEquals(10_000, test.count());
        for (Dataset dataset : new Dataset[] {train, test}) {
            assertEquals(28, dataset.height());
            assertEquals(28, dataset.width());
            assertEquals(784, dataset.inputSize());
        }
        assertEquals("mnist-train", train.name());
        assertEquals("mnist-test", test.name());
        assertEquals(5, train.label(0));
        assertEquals(7, test.label(0));
        assertEquals(2, test.label(1));
    }

    @Test
    void pixelsLieInTheUnitIntervalAndUseItsEnds() {
        float[] pixels = test.pixels();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float p : pixels) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void everyClassAppearsInTheTestSet() {
        int[] perClass = new int[Dataset.CLASSES];
        for (int label : test.labels()) {
            perClass[label]++;
        }
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, perClass);
    }

    @Test
    void detectsAChangedLabelByItsChecksum() throws IOException {
        Path mnist = TestData.mnist();
        byte[] labels;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(mnist.resolve("t10k-labels-idx1-ubyte.gz")))) {
            labels = in.readAllBytes();
        }
        labels[8] = 1;
        Files.copy(mnist.resolve("t10k-images-idx3-ubyte.gz"), folder.resolve("t10k-images-idx3-ubyte.gz"));
        Path changed = Files.write(folder.resolve("t10k-labels-idx1-ubyte"), labels);

        BadDataException e = assertThrows(BadDataException.class, () -> Mnist.load(folder, Split.TEST));
        assertEquals(changed + ": SHA-256 of the uncompressed data is " + sha256(labels) + ", expected "
                + Mnist.SHA256.get("t10k-labels-idx1-ubyte")
                + " (the MNIST t10k-labels-idx1-ubyte); the file is corrupt or not MNIST", e.getMessage());
        assertEquals(1, Mnist.loadUnverified(folder, Split.TEST).label(0));
    }

    @Test
    void detectsFilesThatAreNotMnist() {
        IdxWriter.writeImages(folder.resolve("t10k-images-idx3-ubyte.gz"), IdxReaderTest.IMAGES);
        IdxWriter.writeLabels(folder.resolve("t10k-labels-idx1-ubyte.gz"), IdxReaderTest.LABELS);
        BadDataException checked = assertThrows(BadDataException.class, () -> Mnist.load(folder, Split.TEST));
        assertTrue(checked.getMessage().contains("t10k-images-idx3-ubyte.gz: SHA-256 of the uncompressed data is "),
                checked.getMessage());
        assertTrue(checked.getMessage().contains("expected " + Mnist.SHA256.get("t10k-images-idx3-ubyte")));
        BadDataException unchecked = assertThrows(BadDataException.class,
                () -> Mnist.loadUnverified(folder, Split.TEST));
        assertTrue(unchecked.getMessage().endsWith("holds 3 images, expected 10000 as in MNIST"), unchecked.getMessage());
    }

    @Test
    void reportsAMissingFile() {
        IdxWriter.writeImages(folder.resolve("t10k-images-idx3-ubyte"), IdxReaderTest.IMAGES);
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> Mnist.load(folder, Split.TEST));
        assertTrue(e.getMessage().contains("holds neither t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz"),
                e.getMessage());
    }

    /** Synthetic training files of 60,000 1x3 images, each encoding its own index, little-endian. */
    @Test
    void halvesP1AndP2AreDisjointAndCoverTheTrainingSet() {
        int count = Split.TRAIN.count();
        byte[] pixels = new byte[count * 3];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            pixels[3 * i] = (byte) i;
            pixels[3 * i + 1] = (byte) (i >> 8);
            pixels[3 * i + 2] = (byte) (i >> 16);
            labels[i] = i % 10;
        }
        IdxWriter.writeImages(folder.resolve("train-images-idx3-ubyte"), new IdxImages(count, 1, 3, pixels));
        IdxWriter.writeLabels(folder.resolve("train-labels-idx1-ubyte.gz"), labels);

        boolean[] seen = new boolean[count];
        for (Split half : new Split[] {Split.P1, Split.P2}) {
            Dataset dataset = Mnist.loadUnverified(folder, half);
            assertEquals(30_000, dataset.count());
            assertEquals("mnist-" + half.key(), dataset.name());
            for (int k = 0; k < dataset.count(); k++) {
                int index = indexOf(dataset.image(k));
                assertEquals(half.from() + k, index);
                assertEquals(index % 10, dataset.label(k));
                assertTrue(!seen[index], "image " + index + " is in both halves");
                seen[index] = true;
            }
        }
        for (int i = 0; i < count; i++) {
            assertTrue(seen[i], "image " + i + " is in neither half");
        }
    }

    private static int indexOf(float[] image) {
        int index = 0;
        for (int b = 2; b >= 0; b--) {
            index = index << 8 | Math.round(image[b] * 255f);
        }
        return index;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
