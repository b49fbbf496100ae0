package org.blindspot.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.io.Npy;
import org.blindspot.engine.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images and labels from NPY files, and every way they can be wrong. */
class NpyDatasetTest {

    @TempDir
    Path dir;

    @Test
    void loadsFlatAndSquareImages() {
        Path labels = write("labels.npy", NpyArray.ofInts(new int[] {3, 7}, 2));
        Dataset flat = NpyDataset.load(write("flat.npy", NpyArray.ofFloats(new float[2 * 784], 2, 784)), labels);
        assertEquals(2, flat.count());
        assertEquals(28, flat.height());
        Dataset square = NpyDataset.load(write("square.npy", NpyArray.ofDoubles(new double[2 * 784], 2, 1, 28, 28)),
                write("labels64.npy", NpyArray.ofLongs(new long[] {1, 2}, 2)));
        assertEquals(784, square.inputSize());
        assertEquals(2, square.label(1));
    }

    @Test
    void badImagesAndLabelsNameTheFileAndTheRecord() {
        Path labels = write("labels.npy", NpyArray.ofInts(new int[] {3, 7}, 2));
        float[] pixels = new float[2 * 784];
        pixels[784 + 5] = 1.5f;
        assertMessage(() -> NpyDataset.load(write("range.npy", NpyArray.ofFloats(pixels, 2, 784)), labels),
                "range.npy", "image 1, pixel 5");
        float[] nan = new float[2 * 784];
        nan[3] = Float.NaN;
        assertMessage(() -> NpyDataset.load(write("nan.npy", NpyArray.ofFloats(nan, 2, 784)), labels), "nan.npy",
                "image 0, pixel 3");
        assertMessage(() -> NpyDataset.load(write("shape.npy", NpyArray.ofFloats(new float[2 * 700], 2, 700)), labels),
                "shape.npy", "[2, 700]");
        Path images = write("images.npy", NpyArray.ofFloats(new float[2 * 784], 2, 784));
        assertMessage(() -> NpyDataset.load(images, write("three.npy", NpyArray.ofInts(new int[] {1, 2, 3}, 3))),
                "three.npy", "3 labels for 2 images");
        assertMessage(() -> NpyDataset.load(images, write("big.npy", NpyArray.ofInts(new int[] {1, 12}, 2))),
                "big.npy", "label 1 is 12");
        assertMessage(() -> NpyDataset.load(images, write("float.npy", NpyArray.ofFloats(new float[] {1.5f, 2}, 2))),
                "float.npy", "integers");
    }

    @Test
    void oneNpzHoldsImagesAndLabelsUnderEitherName() {
        Path npz = dir.resolve("data.npz");
        float[] pixels = new float[3 * 784];
        pixels[5] = -0.5f;
        org.blindspot.engine.io.Npz.write(npz, java.util.Map.of("x", NpyArray.ofFloats(pixels, 3, 28, 28),
                "y", NpyArray.ofInts(new int[] {4, 0, 9}, 3)));
        Dataset data = NpyDataset.loadNpz(npz, -1f, 1f);
        assertEquals(3, data.count());
        assertEquals(9, data.label(2));
        assertEquals(-1f, data.lower());
        assertMessage(() -> NpyDataset.loadNpz(npz, 0f, 1f), "data.npz (array x)", "image 0, pixel 5");
        Path other = dir.resolve("other.npz");
        org.blindspot.engine.io.Npz.write(other, java.util.Map.of("pictures", NpyArray.ofFloats(pixels, 3, 784)));
        assertMessage(() -> NpyDataset.loadNpz(other, 0f, 1f), "other.npz", "no array named 'images' or 'x'");
    }

    private Path write(String name, NpyArray array) {
        Path file = dir.resolve(name);
        Npy.write(file, array);
        return file;
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String file, String fragment) {
        BadDataException e = assertThrows(BadDataException.class, call);
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains(fragment), e.getMessage());
    }
}
