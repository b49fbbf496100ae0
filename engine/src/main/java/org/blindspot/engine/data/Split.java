package org.blindspot.engine.data;

import java.util.Locale;

/**
 * The parts of MNIST the experiments use. P1 and P2 are the two fixed, disjoint halves of the
 * training set on which Szegedy et al. (2014, Section 4.1 and Table 3; PAPER.md) train models to
 * test cross-training-set transfer: P1 is training images 0..29,999 and P2 is 30,000..59,999, in
 * file order. Together they cover the training set exactly.
 */
public enum Split {
    /** The 60,000 training images. */
    TRAIN("train", 0, 60_000),
    /** The 10,000 test images. */
    TEST("t10k", 0, 10_000),
    /** The first half of the training set: images 0..29,999. */
    P1("train", 0, 30_000),
    /** The second half of the training set: images 30,000..59,999. */
    P2("train", 30_000, 60_000);

    private final String filePrefix;
    private final int from;
    private final int to;

    Split(String filePrefix, int from, int to) {
        this.filePrefix = filePrefix;
        this.from = from;
        this.to = to;
    }

    /**
     * The split named {@code text}, ignoring case: {@code train}, {@code test}, {@code p1}, {@code
     * p2}, or {@code all} (the whole training set, {@link #TRAIN}).
     *
     * @throws IllegalArgumentException naming the choices, for any other text
     */
    public static Split parse(String text) {
        String key = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "train", "all" -> TRAIN;
            case "test" -> TEST;
            case "p1" -> P1;
            case "p2" -> P2;
            default -> throw new IllegalArgumentException("unknown split '" + text
                    + "': expected one of train, test, p1, p2, all (= train)");
        };
    }

    /** The base name of the images file this split is read from, e.g. {@code train-images-idx3-ubyte}. */
    public String imagesFile() {
        return filePrefix + "-images-idx3-ubyte";
    }

    /** The base name of the labels file this split is read from, e.g. {@code train-labels-idx1-ubyte}. */
    public String labelsFile() {
        return filePrefix + "-labels-idx1-ubyte";
    }

    /** Index of the split's first image in its file. */
    public int from() {
        return from;
    }

    /** Index one past the split's last image in its file. */
    public int to() {
        return to;
    }

    /** Number of images in the split. */
    public int count() {
        return to - from;
    }

    /** The lower-case name used on the command line and in data set names. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
