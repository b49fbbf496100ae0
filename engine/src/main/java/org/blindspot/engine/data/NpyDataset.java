package org.blindspot.engine.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.io.Npy;
import org.blindspot.engine.io.NpyArray;
import org.blindspot.engine.io.Npz;

/**
 * Images and labels from NPY files (or one NPZ), as other tools write them: images [N, 784], [N, 28, 28] or
 * [N, 1, 28, 28] floats in [0, 1] (or a given value range); labels [N] integers in 0..9.
 */
public final class NpyDataset {

    private NpyDataset() {
    }

    /**
     * Loads and checks the two files, pixels in [0, 1].
     *
     * @throws BadDataException naming the file, the image or label, and what was expected
     */
    public static Dataset load(Path imagesFile, Path labelsFile) {
        return load(imagesFile, labelsFile, 0f, 1f);
    }

    /**
     * Loads and checks the two files, pixels in [lower, upper] (the model's input range and the attack's box).
     *
     * @throws BadDataException naming the file, the image or label, and what was expected
     */
    public static Dataset load(Path imagesFile, Path labelsFile, float lower, float upper) {
        return fromArrays(imagesFile.getFileName().toString(), imagesFile.toString(), Npy.read(imagesFile),
                labelsFile.toString(), Npy.read(labelsFile), lower, upper);
    }

    /**
     * Loads images and labels from one NPZ file (as {@code numpy.savez(f, images=x, labels=y)} writes it): the
     * images are the array named {@code images} or {@code x}, the labels {@code labels} or {@code y}.
     *
     * @throws BadDataException naming the file, the array, and what was expected
     */
    public static Dataset loadNpz(Path file, float lower, float upper) {
        Map<String, NpyArray> arrays = Npz.read(file);
        String images = pick(file, arrays, "images", "x");
        String labels = pick(file, arrays, "labels", "y");
        return fromArrays(file.getFileName().toString(), file + " (array " + images + ")", arrays.get(images),
                file + " (array " + labels + ")", arrays.get(labels), lower, upper);
    }

    private static String pick(Path file, Map<String, NpyArray> arrays, String name, String alias) {
        if (arrays.containsKey(name)) {
            return name;
        }
        if (arrays.containsKey(alias)) {
            return alias;
        }
        throw new BadDataException(file.toString(), "no array named '" + name + "' or '" + alias + "'; it holds "
                + arrays.keySet());
    }

    /** Checks the arrays; {@code imagesName} and {@code labelsName} lead error messages, {@code name} names the set. */
    private static Dataset fromArrays(String name, String imagesName, NpyArray images, String labelsName,
                                      NpyArray labels, float lower, float upper) {
        long[] shape = images.shape();
        int side;
        if (shape.length == 2 && isSquare(shape[1])) {
            side = (int) Math.round(Math.sqrt(shape[1]));
        } else if (shape.length == 3 && shape[1] == shape[2]) {
            side = (int) shape[1];
        } else if (shape.length == 4 && shape[1] == 1 && shape[2] == shape[3]) {
            side = (int) shape[2];
        } else {
            throw new BadDataException(imagesName, "images have shape " + Arrays.toString(shape)
                    + "; expected [N, 784], [N, 28, 28] or [N, 1, 28, 28] (square grey-scale images)");
        }
        if (labels.rank() != 1) {
            throw new BadDataException(labelsName, "labels have shape " + Arrays.toString(labels.shape())
                    + "; expected [N]");
        }
        int count = (int) shape[0];
        if (labels.shape()[0] != count) {
            throw new BadDataException(labelsName, labels.shape()[0] + " labels for " + count
                    + " images in " + imagesName);
        }
        float[] pixels;
        try {
            pixels = images.asFloats();
        } catch (RuntimeException e) {
            throw new BadDataException(imagesName, "images must be float32 or float64, got "
                    + images.dtype(), e);
        }
        int m = side * side;
        for (int i = 0; i < pixels.length; i++) {
            if (!(pixels[i] >= lower && pixels[i] <= upper)) {
                throw new BadDataException(imagesName, "image " + (i / m) + ", pixel " + (i % m) + " is "
                        + pixels[i] + "; pixels must be finite and in [" + lower + ", " + upper + "]");
            }
        }
        int[] values;
        try {
            values = labels.asInts();
        } catch (RuntimeException e) {
            throw new BadDataException(labelsName, "labels must be integers, got " + labels.dtype(), e);
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= Dataset.CLASSES) {
                throw new BadDataException(labelsName, "label " + i + " is " + values[i]
                        + "; expected 0.." + (Dataset.CLASSES - 1));
            }
        }
        return Dataset.of(name, side, side, pixels, values, lower, upper);
    }

    private static boolean isSquare(long n) {
        long side = Math.round(Math.sqrt(n));
        return side * side == n && n > 0;
    }
}
