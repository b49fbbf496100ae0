package org.blindspot.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link Split}: names, sizes, and the fixed halves of the training set. */
class MnistSplitTest {

    @Test
    void parsesNamesIgnoringCase() {
        assertEquals(Split.TRAIN, Split.parse("train"));
        assertEquals(Split.TRAIN, Split.parse("ALL"));
        assertEquals(Split.TEST, Split.parse("Test"));
        assertEquals(Split.P1, Split.parse("p1"));
        assertEquals(Split.P2, Split.parse(" P2 "));
    }

    @Test
    void rejectsUnknownNamesListingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Split.parse("p3"));
        assertEquals("unknown split 'p3': expected one of train, test, p1, p2, all (= train)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Split.parse(null));
    }

    @Test
    void halvesAreDisjointAndCoverTheTrainingSet() {
        assertEquals(60_000, Split.TRAIN.count());
        assertEquals(10_000, Split.TEST.count());
        assertEquals(0, Split.P1.from());
        assertEquals(Split.P1.to(), Split.P2.from());
        assertEquals(Split.TRAIN.to(), Split.P2.to());
        assertEquals(Split.TRAIN.count(), Split.P1.count() + Split.P2.count());
        assertEquals(Split.TRAIN.imagesFile(), Split.P2.imagesFile());
        assertEquals("t10k-labels-idx1-ubyte", Split.TEST.labelsFile());
    }
}
