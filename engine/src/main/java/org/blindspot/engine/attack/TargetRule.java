package org.blindspot.engine.attack;

import java.util.Locale;
import java.util.Random;

/**
 * Which label(s) to attack for an example: a fixed label, {@code next} ((y + 1) mod k), {@code random}
 * (seeded, never y), {@code least-likely} (the smallest logit of the clean image), or {@code closest}
 * (every other label, keeping the smallest successful distortion: the image's minimum distortion).
 */
public final class TargetRule {

    /** The kinds of rule. */
    public enum Kind { LABEL, NEXT, RANDOM, LEAST_LIKELY, CLOSEST }

    private final Kind kind;
    private final int label;
    private final String text;

    private TargetRule(Kind kind, int label, String text) {
        this.kind = kind;
        this.label = label;
        this.text = text;
    }

    /** Parses a label ("3"), "next", "random", "least-likely" or "closest". */
    public static TargetRule parse(String text) {
        String key = text.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "next":
                return new TargetRule(Kind.NEXT, -1, key);
            case "random":
                return new TargetRule(Kind.RANDOM, -1, key);
            case "least-likely":
                return new TargetRule(Kind.LEAST_LIKELY, -1, key);
            case "closest":
                return new TargetRule(Kind.CLOSEST, -1, key);
            default:
                break;
        }
        try {
            int label = Integer.parseInt(key);
            if (label < 0) {
                throw new NumberFormatException();
            }
            return new TargetRule(Kind.LABEL, label, key);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("target: unknown '" + text
                    + "'; expected a label (0..9), next, random, least-likely or closest");
        }
    }

    /** The rule's kind. */
    public Kind kind() {
        return kind;
    }

    /**
     * The labels to attack for one example.
     *
     * @param trueLabel the example's label y
     * @param logits    the clean image's logits (used by least-likely)
     * @param random    the run's seeded generator (used by random)
     * @throws IllegalArgumentException if a fixed label is out of range or equals y
     */
    public int[] targets(int trueLabel, double[] logits, Random random) {
        int classes = logits.length;
        return switch (kind) {
            case LABEL -> {
                if (label >= classes) {
                    throw new IllegalArgumentException("target: label " + label + " is out of range 0.." + (classes - 1));
                }
                yield label == trueLabel ? new int[0] : new int[] {label};
            }
            case NEXT -> new int[] {(trueLabel + 1) % classes};
            case RANDOM -> new int[] {(trueLabel + 1 + random.nextInt(classes - 1)) % classes};
            case LEAST_LIKELY -> {
                int worst = trueLabel == 0 ? 1 : 0;
                for (int j = 0; j < classes; j++) {
                    if (j != trueLabel && logits[j] < logits[worst]) {
                        worst = j;
                    }
                }
                yield new int[] {worst};
            }
            case CLOSEST -> {
                int[] all = new int[classes - 1];
                for (int j = 0, n = 0; j < classes; j++) {
                    if (j != trueLabel) {
                        all[n++] = j;
                    }
                }
                yield all;
            }
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
