package org.blindspot.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The integer forms equal the comparisons they replace on the values where they are used: signed zeros,
 * subnormals, the extremes, infinities and random magnitudes over the whole exponent range.
 */
class SignBitsTest {
    private static final double[] SPECIAL = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        -Double.MIN_NORMAL, 1.0, -1.0, 0.5, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY};

    @Test
    void signsMatchTheComparisons() {
        for (double v : values(3)) {
            assertEquals(v > 0 ? 1 : 0, SignBits.positive(v), () -> "positive(" + v + ")");
            assertEquals(v < 0 ? 1 : 0, SignBits.negative(v), () -> "negative(" + v + ")");
        }
    }

    @Test
    void orderOfNonNegativeValuesMatchesTheComparisons() {
        double[] values = values(5);
        for (double a : values) {
            if (a < 0 || Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(-0.0)) {
                continue;
            }
            for (double b : values) {
                if (b < 0 || Double.doubleToRawLongBits(b) == Double.doubleToRawLongBits(-0.0)) {
                    continue;
                }
                assertEquals(a < b ? 1 : 0, SignBits.belowNonNegative(a, b), () -> a + " < " + b);
            }
        }
    }

    /** The special values and 300 random ones of both signs (seeded). */
    private static double[] values(int seed) {
        Random random = new Random(seed);
        int count = 300;
        double[] out = new double[SPECIAL.length + count];
        System.arraycopy(SPECIAL, 0, out, 0, SPECIAL.length);
        for (int k = 0; k < count; k++) {
            double magnitude = random.nextDouble() * Math.pow(2, random.nextInt(2000) - 1000);
            out[SPECIAL.length + k] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return out;
    }
}
