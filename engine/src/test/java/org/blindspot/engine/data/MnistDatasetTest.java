package org.blindspot.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link Dataset}: validation, copies, views, and its two ND4J touch points. */
class MnistDatasetTest {

    /** Four 1x2 images: image i holds pixels (i/4, 1 - i/4); labels 3, 1, 4, 1. */
    private static Dataset four() {
        return Dataset.of("four", 1, 2, new float[] {0f, 1f, 0.25f, 0.75f, 0.5f, 0.5f, 0.75f, 0.25f},
                new int[] {3, 1, 4, 1});
    }

    @Test
    void checksWhatItIsGiven() {
        assertThrows(IllegalArgumentException.class, () -> Dataset.of("x", 1, 2, new float[3], new int[2]));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of("x", 1, 1, new float[] {1.5f}, new int[1]));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of("x", 1, 1, new float[] {Float.NaN}, new int[1]));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of("x", 1, 1, new float[1], new int[] {10}));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of("x", 0, 1, new float[0], new int[0]));
    }

    @Test
    void neverExposesItsArrays() {
        float[] pixels = {0.5f};
        int[] labels = {2};
        Dataset dataset = Dataset.of("x", 1, 1, pixels, labels);
        pixels[0] = 0f;
        labels[0] = 9;
        dataset.image(0)[0] = 0f;
        dataset.pixels()[0] = 0f;
        dataset.labels()[0] = 9;
        assertArrayEquals(new float[] {0.5f}, dataset.image(0));
        assertEquals(2, dataset.label(0));
    }

    @Test
    void slicesAndSubsets() {
        Dataset dataset = four();
        assertEquals(2, dataset.inputSize());
        Dataset firstTwo = dataset.first(2);
        assertEquals(2, firstTwo.count());
        assertArrayEquals(new int[] {3, 1}, firstTwo.labels());
        assertEquals("four[0:2]", firstTwo.name());

        Dataset middle = dataset.slice(1, 3);
        assertArrayEquals(new float[] {0.25f, 0.75f, 0.5f, 0.5f}, middle.pixels());

        Dataset chosen = dataset.subset(new int[] {3, 0, 3});
        assertArrayEquals(new int[] {1, 3, 1}, chosen.labels());
        assertArrayEquals(new float[] {0.75f, 0.25f}, chosen.image(0));
        assertArrayEquals(new float[] {0f, 1f}, chosen.image(1));

        assertEquals(0, dataset.first(0).count());
        assertThrows(IllegalArgumentException.class, () -> dataset.slice(2, 1));
        assertThrows(IllegalArgumentException.class, () -> dataset.first(5));
        assertThrows(IllegalArgumentException.class, () -> dataset.subset(new int[] {4}));
        assertThrows(IndexOutOfBoundsException.class, () -> dataset.image(-1));
    }

    @Test
    void givesFeaturesAndOneHotLabelsAsNd4jMatrices() {
        Dataset dataset = four();
        INDArray features = dataset.features(DataType.FLOAT);
        assertArrayEquals(new long[] {4, 2}, features.shape());
        assertEquals(DataType.FLOAT, features.dataType());
        assertArrayEquals(dataset.pixels(), features.data().asFloat());
        assertEquals(0.75f, features.getFloat(1, 1));

        INDArray doubles = dataset.features(DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, doubles.dataType());
        assertEquals(0.25, doubles.getDouble(3, 1));

        INDArray oneHot = dataset.oneHot(DataType.FLOAT);
        assertArrayEquals(new long[] {4, Dataset.CLASSES}, oneHot.shape());
        for (int i = 0; i < dataset.count(); i++) {
            assertEquals(dataset.label(i), oneHot.getRow(i).argMax().getInt(0));
            assertEquals(1.0, oneHot.getRow(i).sumNumber().doubleValue());
        }
        assertEquals(DataType.DOUBLE, dataset.oneHot(DataType.DOUBLE).dataType());
        assertArrayEquals(new long[] {0, 2}, dataset.first(0).features(DataType.FLOAT).shape());
    }
}
