package org.blindspot.engine.attack;

import java.util.Locale;

/**
 * The distance term d(r) of the penalty problem. The paper writes |r|; implementations use the
 * squared norm, which is smooth. Both are offered; results say which was used.
 */
public enum Penalty {
    /** d(r) = ||r||_2^2, gradient 2 r. */
    L2SQ,
    /** d(r) = sqrt(||r||_2^2 + eps^2), gradient r / d(r); eps = 1e-6 keeps it smooth at r = 0. */
    L2;

    /** Smoothing of {@link #L2} at r = 0. */
    public static final double EPSILON = 1e-6;

    /** Parses "l2sq" or "l2". */
    public static Penalty parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "l2sq" -> L2SQ;
            case "l2" -> L2;
            default -> throw new IllegalArgumentException("penalty: unknown '" + text + "'; expected l2sq or l2");
        };
    }

    /** The name used on the command line and in results. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
