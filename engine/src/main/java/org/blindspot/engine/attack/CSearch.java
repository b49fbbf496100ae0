package org.blindspot.engine.attack;

import java.util.Locale;

/** How the search over c finds and narrows its bracket ({@link TradeOffSearch}). */
public enum CSearch {
    /**
     * The bracket found by extrapolating the solves' logit margins to their root in log c (secant steps, the
     * factor as the longest), then narrowed by interpolating them (default).
     */
    EXTRAPOLATION,
    /** The bracket found by factors of the search factor, then narrowed by interpolating the margins. */
    INTERPOLATION,
    /** The bracket found by factors, then bisection in log c on the solves' outcomes only, as most implementations
     *  of the attack do. */
    BISECTION;

    /** Parses "extrapolation", "interpolation" or "bisection". */
    public static CSearch parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "extrapolation" -> EXTRAPOLATION;
            case "interpolation" -> INTERPOLATION;
            case "bisection" -> BISECTION;
            default -> throw new IllegalArgumentException("c search: unknown '" + text
                    + "'; expected extrapolation, interpolation or bisection");
        };
    }

    /** Whether the solves' margins steer the search (every method but bisection). */
    public boolean usesMargins() {
        return this != BISECTION;
    }

    /** The name used on the command line and in results. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
