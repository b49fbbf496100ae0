package org.blindspot.engine.run;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.blindspot.engine.io.AtomicFiles;

/**
 * PNG grids of grey-scale images: each row of the grid is a list of images of {@code side x side}
 * pixels in [0, 1], drawn enlarged with a one-pixel gap.
 */
public final class ImageGrid {

    private ImageGrid() {
    }

    /**
     * Writes a grid.
     *
     * @param rows  grid rows, each a list of images (flat, row-major, values in [0, 1])
     * @param side  image height and width in pixels (28 for MNIST)
     * @param scale enlargement factor
     */
    public static void write(Path file, List<List<float[]>> rows, int side, int scale) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        if (columns == 0) {
            return;
        }
        int cell = side * scale + 2;
        BufferedImage image = new BufferedImage(columns * cell, rows.size() * cell, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, 0x3060a0);
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).size(); c++) {
                float[] pixels = rows.get(r).get(c);
                for (int py = 0; py < side * scale; py++) {
                    for (int px = 0; px < side * scale; px++) {
                        float v = pixels[(py / scale) * side + px / scale];
                        int g = Math.max(0, Math.min(255, Math.round(v * 255)));
                        image.setRGB(c * cell + 1 + px, r * cell + 1 + py, (g << 16) | (g << 8) | g);
                    }
                }
            }
        }
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer");
            }
        });
    }

    /** The perturbation a' - a shown around mid-grey, scaled so that its largest change is full range. */
    public static float[] magnifiedPerturbation(float[] original, float[] adversarial) {
        double largest = 1e-12;
        for (int i = 0; i < original.length; i++) {
            largest = Math.max(largest, Math.abs(adversarial[i] - original[i]));
        }
        float[] out = new float[original.length];
        for (int i = 0; i < original.length; i++) {
            out[i] = (float) (0.5 + 0.5 * (adversarial[i] - original[i]) / largest);
        }
        return out;
    }

}
