package org.blindspot.engine.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.blindspot.engine.io.AtomicFiles;

/**
 * Writes IDX images and labels files, the format {@link IdxReader} reads. A file whose name ends
 * in {@code .gz} is gzip-compressed, any other is raw. Files are replaced atomically ({@link
 * AtomicFiles}).
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /** Writes {@code images} to {@code file}, gzip-compressed if its name ends in {@code .gz}. */
    public static void writeImages(Path file, IdxImages images) {
        AtomicFiles.write(file, out -> {
            try (OutputStream target = compressing(file, out)) {
                writeImages(target, images);
            }
        });
    }

    /** Writes {@code labels} (each 0..9) to {@code file}, gzip-compressed if its name ends in {@code .gz}. */
    public static void writeLabels(Path file, int[] labels) {
        checkLabels(labels);
        AtomicFiles.write(file, out -> {
            try (OutputStream target = compressing(file, out)) {
                writeLabels(target, labels);
            }
        });
    }

    /** Writes the raw IDX bytes of {@code images} to {@code out}; the stream is flushed, not closed. */
    public static void writeImages(OutputStream out, IdxImages images) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(IdxReader.IMAGES_MAGIC);
        data.writeInt(images.count());
        data.writeInt(images.rows());
        data.writeInt(images.cols());
        data.write(images.pixels());
        data.flush();
    }

    /** Writes the raw IDX bytes of {@code labels} (each 0..9) to {@code out}; flushed, not closed. */
    public static void writeLabels(OutputStream out, int[] labels) throws IOException {
        checkLabels(labels);
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(IdxReader.LABELS_MAGIC);
        data.writeInt(labels.length);
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            bytes[i] = (byte) labels[i];
        }
        data.write(bytes);
        data.flush();
    }

    /**
     * The images of {@code dataset} as IDX bytes, each pixel {@code round(255 * p)}; exact for
     * data sets read from IDX files.
     */
    public static IdxImages toImages(Dataset dataset) {
        float[] pixels = dataset.pixels();
        byte[] bytes = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            bytes[i] = (byte) Math.round(pixels[i] * 255f);
        }
        return new IdxImages(dataset.count(), dataset.height(), dataset.width(), bytes);
    }

    private static OutputStream compressing(Path file, OutputStream out) throws IOException {
        return file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
    }

    private static void checkLabels(int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= Dataset.CLASSES) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is outside 0.."
                        + (Dataset.CLASSES - 1));
            }
        }
    }
}
