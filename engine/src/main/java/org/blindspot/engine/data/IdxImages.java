package org.blindspot.engine.data;

/**
 * The content of an IDX images file: {@code count} images of {@code rows x cols} unsigned bytes,
 * row-major, image after image ({@code pixels[(i * rows + r) * cols + c]}).
 *
 * <p>The array is not copied: treat it as read-only.
 *
 * @param count number of images, positive
 * @param rows image height in pixels, positive
 * @param cols image width in pixels, positive
 * @param pixels {@code count * rows * cols} bytes, read as unsigned 0..255
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    /** @throws IllegalArgumentException if a dimension is not positive or the pixels do not fill them */
    public IdxImages {
        if (count <= 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("count, rows and cols must be positive, got " + count + ", " + rows
                    + ", " + cols);
        }
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " need "
                    + (long) count * rows * cols + " pixels, got " + pixels.length);
        }
    }
}
