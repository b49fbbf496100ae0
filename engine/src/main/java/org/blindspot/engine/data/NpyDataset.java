package org.blindspot.engine.data;

import java.nio.file.Path;
import java.util.Arrays;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.io.Npy;
import org.blindspot.engine.io.NpyArray;

/**
 * Images and labels from NPY files, as other tools write them: images [N, 784], [N, 28, 28] or
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
        NpyArray images = Npy.read(imagesFile);
        NpyArray labels = Npy.read(labelsFile);
        long[] shape = images.shape();
        int side;
        if (shape.length == 2 && isSquare(shape[1])) {
            side = (int) Math.round(Math.sqrt(shape[1]));
        } else if (shape.length == 3 && shape[1] == shape[2]) {
            side = (int) shape[1];
        } else if (shape.length == 4 && shape[1] == 1 && shape[2] == shape[3]) {
            side = (int) shape[2];
        } else {
            throw new BadDataException(imagesFile.toString(), "images have shape " + Arrays.toString(shape)
                    + "; expected [N, 784], [N, 28, 28] or [N, 1, 28, 28] (square grey-scale images)");
        }
        if (labels.rank() != 1) {
            throw new BadDataException(labelsFile.toString(), "labels have shape " + Arrays.toString(labels.shape())
                    + "; expected [N]");
        }
        int count = (int) shape[0];
        if (labels.shape()[0] != count) {
            throw new BadDataException(labelsFile.toString(), labels.shape()[0] + " labels for " + count
                    + " images in " + imagesFile.getFileName());
        }
        float[] pixels;
        try {
            pixels = images.asFloats();
        } catch (RuntimeException e) {
            throw new BadDataException(imagesFile.toString(), "images must be float32 or float64, got "
                    + images.dtype(), e);
        }
        int m = side * side;
        for (int i = 0; i < pixels.length; i++) {
            if (!(pixels[i] >= lower && pixels[i] <= upper)) {
                throw new BadDataException(imagesFile.toString(), "image " + (i / m) + ", pixel " + (i % m) + " is "
                        + pixels[i] + "; pixels must be finite and in [" + lower + ", " + upper + "]");
            }
        }
        int[] values;
        try {
            values = labels.asInts();
        } catch (RuntimeException e) {
            throw new BadDataException(labelsFile.toString(), "labels must be integers, got " + labels.dtype(), e);
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= Dataset.CLASSES) {
                throw new BadDataException(labelsFile.toString(), "label " + i + " is " + values[i]
                        + "; expected 0.." + (Dataset.CLASSES - 1));
            }
        }
        return Dataset.of(imagesFile.getFileName().toString(), side, side, pixels, values, lower, upper);
    }

    private static boolean isSquare(long n) {
        long side = Math.round(Math.sqrt(n));
        return side * side == n && n > 0;
    }
}
