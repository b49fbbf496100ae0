package org.blindspot.bench;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded inputs and labels drawn with {@link Random}, so every backend sees the same numbers. */
final class RandomBatch {

    private RandomBatch() {
    }

    /** [rows, columns] of {@code type}, uniform in [0, 1), like MNIST pixels. */
    static INDArray pixels(int rows, int columns, long seed, DataType type) {
        Random random = new Random(seed);
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return Nd4j.create(values, new long[] {rows, columns}, DataType.FLOAT).castTo(type);
    }

    /** {@code rows} labels uniform in [0, classes). */
    static int[] labels(int rows, int classes, long seed) {
        Random random = new Random(seed);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }
}
