package org.blindspot.engine.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.io.AtomicFiles;
import org.blindspot.engine.io.Npy;
import org.blindspot.engine.io.NpyArray;

/** The end of a run: {@code summary.json}, {@code adversarial.npy} and {@code grid.png}. */
public final class RunSummary {

    /** Summary file. */
    public static final String SUMMARY = "summary.json";
    /** Adversarial images, [N, m] float32, in input order. */
    public static final String ADVERSARIAL = "adversarial.npy";
    /** Originals / magnified perturbations / adversarials of the first examples. */
    public static final String GRID = "grid.png";

    private static final int GRID_COLUMNS = 12;

    private RunSummary() {
    }

    /**
     * Figures over records, as written to summary.json.
     *
     * @param records     every example of the run, in input order
     * @param wallSeconds wall time of this invocation
     * @param computed    examples computed in this invocation (not resumed)
     */
    public static Map<String, Object> figures(List<AttackRecord> records, double wallSeconds, int computed) {
        List<Double> distortions = new ArrayList<>();
        double l2 = 0;
        long evaluations = 0;
        for (AttackRecord r : records) {
            evaluations += r.evaluations();
            if (r.succeeded()) {
                distortions.add(r.rmsDistortion());
                l2 += r.l2();
            }
        }
        int succeeded = distortions.size();
        double[] sorted = distortions.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("examples", records.size());
        map.put("succeeded", succeeded);
        map.put("success_rate", records.isEmpty() ? 0.0 : succeeded / (double) records.size());
        map.put("mean_rms_distortion", succeeded == 0 ? null : Arrays.stream(sorted).average().orElse(0));
        map.put("median_rms_distortion", succeeded == 0 ? null : median(sorted));
        map.put("mean_l2", succeeded == 0 ? null : l2 / succeeded);
        map.put("gradient_evaluations", evaluations);
        map.put("gradient_evaluations_per_example", records.isEmpty() ? 0.0 : evaluations / (double) records.size());
        map.put("wall_seconds", wallSeconds);
        map.put("examples_computed", computed);
        map.put("examples_per_second", wallSeconds > 0 ? computed / wallSeconds : null);
        return map;
    }

    /** Writes summary.json, adversarial.npy and grid.png, for images in [0, 1]. */
    public static void write(Path dir, Map<String, Object> summary, List<AttackRecord> records,
                             List<float[]> originals, int side) {
        write(dir, summary, records, originals, side, 0, 1);
    }

    /** The same for images in [lower, upper] (the grid shows lower as black and upper as white). */
    public static void write(Path dir, Map<String, Object> summary, List<AttackRecord> records,
                             List<float[]> originals, int side, double lower, double upper) {
        try {
            byte[] json = Json.PRETTY.writeValueAsBytes(summary);
            AtomicFiles.write(dir.resolve(SUMMARY), out -> out.write(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(SUMMARY) + ": " + e.getMessage(), e);
        }
        int m = originals.isEmpty() ? side * side : originals.get(0).length;
        float[] all = new float[records.size() * m];
        for (int i = 0; i < records.size(); i++) {
            System.arraycopy(records.get(i).adversarial(), 0, all, i * m, m);
        }
        Npy.write(dir.resolve(ADVERSARIAL), NpyArray.ofFloats(all, records.size(), m));
        List<float[]> top = new ArrayList<>();
        List<float[]> middle = new ArrayList<>();
        List<float[]> bottom = new ArrayList<>();
        for (int i = 0; i < records.size() && top.size() < GRID_COLUMNS; i++) {
            top.add(unitRange(originals.get(i), lower, upper));
            middle.add(ImageGrid.magnifiedPerturbation(originals.get(i), records.get(i).adversarial()));
            bottom.add(unitRange(records.get(i).adversarial(), lower, upper));
        }
        if (side * side == m) {
            ImageGrid.write(dir.resolve(GRID), List.of(top, middle, bottom), side, 3);
        }
    }

    /** {@code (v - lower) / (upper - lower)} per pixel: the image in [0, 1] for drawing. */
    private static float[] unitRange(float[] image, double lower, double upper) {
        if (lower == 0 && upper == 1) {
            return image;
        }
        float[] out = new float[image.length];
        for (int i = 0; i < image.length; i++) {
            out[i] = (float) ((image[i] - lower) / (upper - lower));
        }
        return out;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
