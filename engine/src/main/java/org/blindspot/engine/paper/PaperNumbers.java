package org.blindspot.engine.paper;

import java.util.Map;

/**
 * The numbers of Szegedy et al. (2014) that the reproduction is compared with, as PAPER.md gives
 * them (fractions, not percent). Cells PAPER.md marks as recalled rather than sourced are flagged
 * in the report through {@link #TABLE2_SOURCED}.
 */
public final class PaperNumbers {

    private PaperNumbers() {
    }

    /** Table 1: train error, test error, average minimum distortion. */
    public static final Map<String, double[]> TABLE1 = Map.of(
            "fc10-1e-4", new double[] {0.067, 0.074, 0.062},
            "fc10-1e-2", new double[] {0.10, 0.094, 0.1},
            "fc10-1", new double[] {0.212, 0.20, 0.14},
            "fc100-100-10", new double[] {0.0, 0.0164, 0.058},
            "fc200-200-10", new double[] {0.0, 0.0154, 0.065},
            "ae400-10", new double[] {0.0057, 0.019, 0.086});

    /** Table 1's models, in the paper's order. */
    public static final String[] TABLE1_MODELS = {"fc10-1e-4", "fc10-1e-2", "fc10-1", "fc100-100-10",
            "fc200-200-10", "ae400-10"};

    /** Table 2: rows (adversarials made for a model, then noise) by columns (TABLE1_MODELS). */
    public static final Map<String, double[]> TABLE2 = Map.of(
            "fc10-1e-4", new double[] {1.0, 0.117, 0.227, 0.02, 0.039, 0.027},
            "fc10-1e-2", new double[] {0.871, 1.0, 0.352, 0.359, 0.273, 0.098},
            "fc10-1", new double[] {0.719, 0.762, 1.0, 0.481, 0.47, 0.344},
            "fc100-100-10", new double[] {0.289, 0.137, 0.211, 1.0, 0.066, 0.02},
            "fc200-200-10", new double[] {0.382, 0.14, 0.238, 0.203, 1.0, 0.027},
            "ae400-10", new double[] {0.234, 0.16, 0.248, 0.094, 0.066, 1.0},
            "noise-0.1", new double[] {0.05, 0.101, 0.183, 0.0, 0.0, 0.008},
            "noise-0.3", new double[] {0.156, 0.113, 0.227, 0.05, 0.043, 0.031});

    /** Table 2 cells found in two secondary sources (PAPER.md's *); the rest are recalled. */
    public static final int[] TABLE2_SOURCED = {0, 3, 5};

    /** Table 3: train error, test error, distortion of the cross-training-set models. */
    public static final Map<String, double[]> TABLE3 = Map.of(
            "fc100-100-10-p1", new double[] {0.0, 0.02, 0.062},
            "fc123-456-10-p1", new double[] {0.0, 0.0164, 0.059},
            "fc100-100-10-p2", new double[] {0.0, 0.0154, 0.058});

    /** Table 3's models in order. */
    public static final String[] TABLE3_MODELS = {"fc100-100-10-p1", "fc123-456-10-p1", "fc100-100-10-p2"};

    /** Table 4: rows by columns (TABLE3_MODELS). */
    public static final Map<String, double[]> TABLE4 = Map.of(
            "fc100-100-10-p1", new double[] {1.0, 0.262, 0.059},
            "fc123-456-10-p1", new double[] {0.0625, 1.0, 0.051},
            "fc100-100-10-p2", new double[] {0.082, 0.082, 1.0},
            "noise-0.1", new double[] {0.022, 0.026, 0.024},
            "magnified-fc100-100-10-p1", new double[] {1.0, 0.98, 0.43},
            "magnified-fc123-456-10-p1", new double[] {0.96, 1.0, 0.22},
            "magnified-fc100-100-10-p2", new double[] {0.27, 0.50, 1.0},
            "noise-0.3", new double[] {0.026, 0.028, 0.027});
}
