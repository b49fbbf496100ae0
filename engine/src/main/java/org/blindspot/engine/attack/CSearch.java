package org.blindspot.engine.attack;

import java.util.Locale;

/** How the search over c narrows its bracket ({@link TradeOffSearch}). */
public enum CSearch {
    /** The root of the solves' logit margins, interpolated in log c, with bisection's safeguards (default). */
    INTERPOLATION,
    /** Bisection in log c on the solves' outcomes only, as most implementations of the attack do. */
    BISECTION;

    /** Parses "interpolation" or "bisection". */
    public static CSearch parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "interpolation" -> INTERPOLATION;
            case "bisection" -> BISECTION;
            default -> throw new IllegalArgumentException("c search: unknown '" + text
                    + "'; expected interpolation or bisection");
        };
    }

    /** The name used on the command line and in results. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
