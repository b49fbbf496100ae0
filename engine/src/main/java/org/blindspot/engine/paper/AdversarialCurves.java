package org.blindspot.engine.paper;

/** Names of the two adversarial-training curves in reports and results. */
final class AdversarialCurves {

    /** FC100-100-10 with weight decay only. */
    static final String BASELINE = "weight decay only";
    /** FC100-100-10 trained with the refreshed adversarial pool. */
    static final String ADVERSARIAL = "adversarial training";

    private AdversarialCurves() {
    }
}
