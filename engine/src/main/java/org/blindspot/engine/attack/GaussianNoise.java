package org.blindspot.engine.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.Predictions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The baseline of Tables 2 and 4: x' = clip(x + sigma * N(0, I), 0, 1) (or the model's input box), seeded. An example
 * "succeeds" when x' is misclassified (its label changes), which is what the tables' error rates count.
 */
public final class GaussianNoise {

    private final Classifier model;
    private final double sigma;
    private final long seed;
    private final double lower;
    private final double upper;

    public GaussianNoise(Classifier model, double sigma, long seed) {
        this(model, sigma, seed, 0, 1);
    }

    /** Noise clipped to the box [lower, upper] instead of [0, 1]. */
    public GaussianNoise(Classifier model, double sigma, long seed, double lower, double upper) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma: must be finite and >= 0, got " + sigma);
        }
        if (!(Double.isFinite(lower) && Double.isFinite(upper) && lower < upper)) {
            throw new IllegalArgumentException("box: must be finite with lower < upper, got [" + lower + ", "
                    + upper + "]");
        }
        this.model = model.castTo(DataType.FLOAT);
        this.sigma = sigma;
        this.seed = seed;
        this.lower = lower;
        this.upper = upper;
    }

    /** Perturbs every input; the noise of an example depends only on the seed and its index. */
    public List<AttackRecord> run(List<AttackInput> inputs, AttackListener listener) {
        List<AttackRecord> records = new ArrayList<>();
        float[][] noisy = new float[inputs.size()][];
        int[] labels = new int[inputs.size()];
        for (int e = 0; e < inputs.size(); e++) {
            AttackInput input = inputs.get(e);
            Random random = new Random(seed * 1_000_003L + input.index());
            float[] x = input.image().clone();
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.min(upper, Math.max(lower, x[i] + sigma * random.nextGaussian()));
            }
            noisy[e] = x;
            labels[e] = input.trueLabel();
        }
        if (inputs.isEmpty()) {
            return records;
        }
        var logits = model.logits(Nd4j.create(noisy));
        int[] predicted = Predictions.argmax(logits);
        double[] margins = Predictions.margins(logits, predicted);
        for (int e = 0; e < inputs.size(); e++) {
            AttackInput input = inputs.get(e);
            boolean changed = predicted[e] != labels[e];
            AttackRecord record = new AttackRecord(input.index(), input.trueLabel(), predicted[e], Double.NaN,
                    Distortion.rms(noisy[e], input.image()), Distortion.l2(noisy[e], input.image()), 0, 0, 0,
                    changed ? AttackStatus.SUCCEEDED : AttackStatus.FAILED, margins[e], noisy[e]);
            records.add(record);
            listener.finished(record);
        }
        return records;
    }
}
