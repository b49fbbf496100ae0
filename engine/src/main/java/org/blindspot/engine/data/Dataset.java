package org.blindspot.engine.data;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An immutable set of labelled grey-scale images: {@code count} images of {@code height x width}
 * pixels in a value range (the box of the attack: [0, 1] unless given), each with a class label in 0..9.
 *
 * <p>Pixels are stored row-major as one {@code float[count * height * width]} (image {@code i},
 * row {@code r}, column {@code c} at {@code (i * height + r) * width + c}); pixels read from bytes
 * are {@code byte / 255f}. The arrays are never exposed: accessors return copies, and the views
 * ({@link #first}, {@link #slice}, {@link #subset}) are new data sets.
 *
 * <p>{@link #features} and {@link #oneHot} are the only ND4J touch points.
 */
public final class Dataset {

    /** Number of classes: the digits 0..9. */
    public static final int CLASSES = 10;

    private final String name;
    private final int count;
    private final int height;
    private final int width;
    private final float[] pixels;
    private final int[] labels;
    private final float lower;
    private final float upper;

    /** Takes ownership of the arrays; callers have checked them. */
    private Dataset(String name, int height, int width, float[] pixels, int[] labels, float lower, float upper) {
        this.name = name;
        this.count = labels.length;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
        this.lower = lower;
        this.upper = upper;
    }

    /**
     * A data set holding copies of the given arrays, pixels in [0, 1].
     *
     * @param name what the data set is, for logs and reports (e.g. "mnist-test")
     * @param pixels {@code [labels.length, height * width]} row-major, each in [0, 1]
     * @param labels one class per image, each in 0..9
     * @throws IllegalArgumentException if the sizes disagree, a pixel is outside [0, 1] or a label
     *     outside 0..9
     */
    public static Dataset of(String name, int height, int width, float[] pixels, int[] labels) {
        return of(name, height, width, pixels, labels, 0f, 1f);
    }

    /**
     * A data set whose pixels lie in [lower, upper] (a model's input range, e.g. [-1, 1]): the box the attack
     * keeps its adversarial images in.
     *
     * @throws IllegalArgumentException if the sizes disagree, the range is empty or not finite, a pixel is outside
     *     it or a label outside 0..9
     */
    public static Dataset of(String name, int height, int width, float[] pixels, int[] labels, float lower,
                             float upper) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("height and width must be positive, got " + height + "x" + width);
        }
        if (!(Float.isFinite(lower) && Float.isFinite(upper) && lower < upper)) {
            throw new IllegalArgumentException("the value range must be finite with lower < upper, got [" + lower
                    + ", " + upper + "]");
        }
        if (pixels.length != (long) labels.length * height * width) {
            throw new IllegalArgumentException(labels.length + " images of " + height + "x" + width + " need "
                    + (long) labels.length * height * width + " pixels, got " + pixels.length);
        }
        for (int i = 0; i < pixels.length; i++) {
            if (!(pixels[i] >= lower && pixels[i] <= upper)) {
                throw new IllegalArgumentException("pixel " + i + " = " + pixels[i] + " is outside [" + lower + ", "
                        + upper + "]");
            }
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASSES) {
                throw new IllegalArgumentException("label " + i + " = " + labels[i] + " is outside 0.." + (CLASSES - 1));
            }
        }
        return new Dataset(name, height, width, pixels.clone(), labels.clone(), lower, upper);
    }

    /** From IDX bytes (each becomes {@code byte / 255f}); takes ownership of {@code labels}. */
    static Dataset fromBytes(String name, int height, int width, byte[] bytes, int[] labels) {
        float[] pixels = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            pixels[i] = (bytes[i] & 0xff) / 255f;
        }
        return new Dataset(name, height, width, pixels, labels, 0f, 1f);
    }

    /** The same images and labels under another name (shares the immutable arrays). */
    Dataset named(String newName) {
        return new Dataset(newName, height, width, pixels, labels, lower, upper);
    }

    /** What the data set is, e.g. "mnist-p1" or "mnist-test[0:100]". */
    public String name() {
        return name;
    }

    /** Number of images. */
    public int count() {
        return count;
    }

    /** Image height in pixels. */
    public int height() {
        return height;
    }

    /** Image width in pixels. */
    public int width() {
        return width;
    }

    /** The smallest value a pixel may take (0 for MNIST). */
    public float lower() {
        return lower;
    }

    /** The largest value a pixel may take (1 for MNIST). */
    public float upper() {
        return upper;
    }

    /** Pixels per image, {@code height * width}: the input size of a classifier. */
    public int inputSize() {
        return height * width;
    }

    /** The label of image {@code i}, in 0..9. */
    public int label(int i) {
        return labels[checkIndex(i)];
    }

    /** All labels (a copy), {@code [count]}. */
    public int[] labels() {
        return labels.clone();
    }

    /** Image {@code i} (a copy), {@code [height * width]} row-major, in [lower, upper]. */
    public float[] image(int i) {
        int start = checkIndex(i) * inputSize();
        return Arrays.copyOfRange(pixels, start, start + inputSize());
    }

    /** All pixels (a copy), {@code [count * height * width]} row-major, in [lower, upper]. */
    public float[] pixels() {
        return pixels.clone();
    }

    /** The first {@code n} images, {@code 0 <= n <= count}. */
    public Dataset first(int n) {
        return slice(0, n);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), {@code 0 <= from <= to <= count}. */
    public Dataset slice(int from, int to) {
        if (from < 0 || from > to || to > count) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") is outside [0, " + count + ") of "
                    + name);
        }
        return new Dataset(name + "[" + from + ":" + to + "]", height, width,
                Arrays.copyOfRange(pixels, from * inputSize(), to * inputSize()), Arrays.copyOfRange(labels, from, to),
                lower, upper);
    }

    /** The images at {@code indices}, in that order; an index may repeat. */
    public Dataset subset(int[] indices) {
        int size = inputSize();
        float[] chosenPixels = new float[indices.length * size];
        int[] chosenLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= count) {
                throw new IllegalArgumentException("indices[" + k + "] = " + i + " is outside [0, " + count + ") of "
                        + name);
            }
            System.arraycopy(pixels, i * size, chosenPixels, k * size, size);
            chosenLabels[k] = labels[i];
        }
        return new Dataset(name + "[" + indices.length + " chosen]", height, width, chosenPixels, chosenLabels, lower,
                upper);
    }

    /**
     * The pixels as a new ND4J matrix {@code [count, height * width]}, C order, of the given
     * floating-point type. Each call allocates a fresh array (off-heap, on the current ND4J
     * backend's device): keep the result rather than calling again.
     */
    public INDArray features(DataType dataType) {
        INDArray features = Nd4j.create(pixels, new long[] {count, inputSize()}, DataType.FLOAT);
        return dataType == DataType.FLOAT ? features : features.castTo(dataType);
    }

    /**
     * The labels one-hot encoded as a new ND4J matrix {@code [count, 10]} of the given type: row
     * {@code i} is 1 in column {@code label(i)} and 0 elsewhere. Allocates on each call, like
     * {@link #features}.
     */
    public INDArray oneHot(DataType dataType) {
        float[] encoded = new float[count * CLASSES];
        for (int i = 0; i < count; i++) {
            encoded[i * CLASSES + labels[i]] = 1f;
        }
        INDArray oneHot = Nd4j.create(encoded, new long[] {count, CLASSES}, DataType.FLOAT);
        return dataType == DataType.FLOAT ? oneHot : oneHot.castTo(dataType);
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("image " + i + " is outside [0, " + count + ") of " + name);
        }
        return i;
    }

    @Override
    public String toString() {
        return name + ": " + count + " images of " + height + "x" + width;
    }
}
