package org.blindspot.engine.train;

import java.util.Random;

/** Seeded Fisher-Yates shuffles of index arrays. */
final class Shuffle {

    private Shuffle() {
    }

    /** Shuffles {@code values} in place with {@code random}. */
    static void inPlace(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = values[i];
            values[i] = values[j];
            values[j] = tmp;
        }
    }

    /** 0, 1, ..., n - 1. */
    static int[] identity(int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }
}
