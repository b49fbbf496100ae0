package org.blindspot.engine.attack;

/** Distances between an image and its perturbed copy, in the units the paper reports. */
public final class Distortion {

    private Distortion() {
    }

    /** ||a - b||_2. */
    public static double l2(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /** sqrt(sum_i (a_i - b_i)^2 / n): the per-pixel RMS change of Table 1. */
    public static double rms(float[] a, float[] b) {
        return l2(a, b) / Math.sqrt(a.length);
    }
}
