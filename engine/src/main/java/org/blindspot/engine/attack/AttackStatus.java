package org.blindspot.engine.attack;

import java.util.Locale;

/** The outcome of one example. */
public enum AttackStatus {
    /** The adversarial image is classified as the target, verified in float32 with the margin. */
    SUCCEEDED,
    /** No c gave a verified success; the record holds the best attempt. */
    FAILED,
    /** The model gave non-finite values for this example; the record holds the original image. */
    NON_FINITE;

    /** The lower-case name written in records. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
