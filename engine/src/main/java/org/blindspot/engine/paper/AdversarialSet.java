package org.blindspot.engine.paper;

import java.util.List;
import org.blindspot.engine.attack.AttackRecord;

/**
 * A row of a transfer table: perturbed images with their true labels, e.g. the adversarial
 * examples made for one model, or Gaussian-noise images.
 *
 * @param name         row name, e.g. "fc100-100-10" or "Gaussian noise, stddev 0.1"
 * @param images       perturbed images, each [m] in [0, 1]
 * @param labels       their true labels
 * @param originals    the clean images
 * @param meanDistortion mean RMS distortion of the row
 */
public record AdversarialSet(String name, List<float[]> images, int[] labels, List<float[]> originals,
                             double meanDistortion) {

    /** The successful records of an attack run as a row (failed attacks are left out). */
    public static AdversarialSet fromRecords(String name, List<AttackRecord> records, List<float[]> originals,
                                             boolean successfulOnly) {
        List<float[]> images = new java.util.ArrayList<>();
        List<float[]> clean = new java.util.ArrayList<>();
        java.util.List<Integer> labels = new java.util.ArrayList<>();
        double distortion = 0;
        for (int i = 0; i < records.size(); i++) {
            AttackRecord r = records.get(i);
            if (successfulOnly && !r.succeeded()) {
                continue;
            }
            images.add(r.adversarial());
            clean.add(originals.get(i));
            labels.add(r.trueLabel());
            distortion += r.rmsDistortion();
        }
        return new AdversarialSet(name, images, labels.stream().mapToInt(Integer::intValue).toArray(), clean,
                images.isEmpty() ? Double.NaN : distortion / images.size());
    }

    /**
     * The same perturbations rescaled to a per-pixel RMS of {@code rms} (the "magnified" rows of
     * Table 4: x + rms * (x' - x) / RMS(x' - x), clipped to [0, 1]).
     */
    public AdversarialSet magnified(String newName, double rms) {
        List<float[]> out = new java.util.ArrayList<>();
        double distortion = 0;
        for (int i = 0; i < images.size(); i++) {
            float[] x = originals.get(i);
            float[] adv = images.get(i);
            double current = org.blindspot.engine.attack.Distortion.rms(adv, x);
            double scale = current > 0 ? rms / current : 0;
            float[] m = new float[x.length];
            for (int j = 0; j < x.length; j++) {
                m[j] = (float) Math.min(1.0, Math.max(0.0, x[j] + scale * (adv[j] - x[j])));
            }
            out.add(m);
            distortion += org.blindspot.engine.attack.Distortion.rms(m, x);
        }
        return new AdversarialSet(newName, out, labels, originals, out.isEmpty() ? Double.NaN : distortion / out.size());
    }
}
