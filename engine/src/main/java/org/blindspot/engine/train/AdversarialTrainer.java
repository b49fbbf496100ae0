package org.blindspot.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.blindspot.engine.attack.AttackInput;
import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.attack.BoxConstrainedLbfgsAttack;
import org.blindspot.engine.attack.CSearch;
import org.blindspot.engine.model.DenseNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adversarial training (Szegedy et al. 2014, section 4.2): minibatch Adam on clean images mixed with
 * a pool of adversarial examples that is refreshed during training. Before every epoch after the
 * first, {@code refresh} of the pool is replaced by adversarial examples the engine's attack makes
 * against the current network (random targets) from random training images, kept with their true
 * labels (optionally only those within a distortion cap); each minibatch then takes {@code mix} of its rows
 * from the pool.
 *
 * <p>Departure from the paper: it also trained the upper layers on adversarial examples of each
 * layer's output; only input-space examples are used here.
 */
public final class AdversarialTrainer {

    /**
     * @param poolFraction pool size as a fraction of the training images
     * @param refresh      fraction of the pool replaced before each epoch
     * @param mix          fraction of each minibatch drawn from the pool
     * @param maxDistortion adversarial examples with a larger RMS distortion are not put in the pool
     *                     ({@code +inf}: every successful one is, as in the paper)
     * @param attack       settings of the attack that makes the pool's examples
     */
    public record Settings(double poolFraction, double refresh, double mix, double maxDistortion,
                           AttackOptions attack) {
        public Settings {
            if (!(poolFraction > 0 && poolFraction <= 1)) {
                throw new IllegalArgumentException("poolFraction: must lie in (0, 1], got " + poolFraction);
            }
            if (!(refresh > 0 && refresh <= 1)) {
                throw new IllegalArgumentException("refresh: must lie in (0, 1], got " + refresh);
            }
            if (!(mix > 0 && mix < 1)) {
                throw new IllegalArgumentException("mix: must lie in (0, 1), got " + mix);
            }
            if (!(maxDistortion > 0)) {
                throw new IllegalArgumentException("maxDistortion: must be > 0, got " + maxDistortion);
            }
        }

        public static final double DEFAULT_POOL = 0.5;
        public static final double DEFAULT_REFRESH = 1.0;
        public static final double DEFAULT_MIX = 0.3;
        public static final double DEFAULT_MAX_DISTORTION = 0.04;
        public static final int DEFAULT_SEARCH_STEPS = 2;
        public static final int DEFAULT_MAX_ITERATIONS = 30;

        /**
         * A pool of half the images, all of it replaced before each epoch, 30% of each minibatch from it, only
         * examples of RMS distortion at most 0.04; an attack of 2 solves of at most 30 iterations per example, the
         * second at c = 10 or 0.1 ({@link CSearch#INTERPOLATION}'s factor; the attack's other defaults: the second
         * solve keeps the first one's correction pairs and starts from the value and gradient known there, m = 5).
         * Measured on FC100-100-10 (README, "Section 4.2"): 1.42% test error against 1.95% with weight decay only
         * (1.51% when the second solve evaluated its starting point, 1.54% when every solve started with an empty
         * history, m = 10); with a looser cap (0.08) and half of each minibatch from the pool, 2.31% (with the empty
         * histories).
         */
        public static Settings defaults() {
            return new Settings(DEFAULT_POOL, DEFAULT_REFRESH, DEFAULT_MIX, DEFAULT_MAX_DISTORTION,
                    AttackOptions.defaults().withSearchSteps(DEFAULT_SEARCH_STEPS)
                            .withMaxIterations(DEFAULT_MAX_ITERATIONS).withCSearch(CSearch.INTERPOLATION));
        }

        /** The recipe in words, for reports: the pool's settings and the attack's budget (its other settings are
         *  the attack's defaults). */
        public String describe() {
            return String.format(Locale.ROOT, "a pool of %s of the training images, %s of it replaced "
                            + "before every epoch by adversarial examples the engine's attack makes against the current "
                            + "network (random targets, %d solves of at most %d iterations each, %s, m = %d, logit "
                            + "margin %s), kept with their true labels %s; %s of every minibatch drawn from the pool",
                    percent(poolFraction), percent(refresh), attack.searchSteps(), attack.maxIterations(),
                    attack.historyKept()
                            ? "each after the first keeping the last one's correction pairs and starting from the value "
                            + "and gradient known at its start" : "each from an empty history",
                    attack.memory(), attack.margin(), Double.isFinite(maxDistortion)
                            ? String.format(Locale.ROOT, "when their RMS distortion is at most %s", maxDistortion)
                            : "whatever their distortion", percent(mix));
        }

        private static String percent(double fraction) {
            return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
        }
    }

    private final TrainOptions options;
    private final Settings settings;
    private final TrainingListener listener;

    public AdversarialTrainer(TrainOptions options, Settings settings, TrainingListener listener) {
        this.options = options;
        this.settings = settings;
        this.listener = listener;
    }

    /**
     * Trains {@code net} in place.
     *
     * @param features [N, m] training images (float32)
     * @param epochs   called after every epoch
     */
    public void train(String stage, DenseNetwork net, INDArray features, int[] labels, AdamTrainer.EpochListener epochs) {
        int n = (int) features.rows();
        int batch = Math.min(options.batchSize(), n);
        int fromPool = (int) Math.round(batch * settings.mix());
        int clean = batch - fromPool;
        int poolSize = Math.max(1, (int) Math.round(n * settings.poolFraction()));
        int stepsPerEpoch = n / clean;
        long total = (long) stepsPerEpoch * options.epochs();
        AdamStep adam = new AdamStep(net);
        Random random = new Random(options.seed());
        List<float[]> pool = new ArrayList<>();
        List<Integer> poolLabels = new ArrayList<>();
        int[] order = Shuffle.identity(n);
        int[] cursor = {0};
        long done = 0;
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            if (epoch > 0) {
                refill(net, features, labels, pool, poolLabels, poolSize, random, cursor);
            }
            Shuffle.inPlace(order, random);
            double rate = AdamTrainer.cosine(options.learningRate(), epoch, options.epochs());
            double sum = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                boolean mixed = !pool.isEmpty();
                int rows = mixed ? batch : clean;
                int[] take = new int[clean];
                int[] targets = new int[rows];
                for (int i = 0; i < clean; i++) {
                    take[i] = order[s * clean + i];
                    targets[i] = labels[take[i]];
                }
                INDArray x = Nd4j.pullRows(features, 1, take);
                if (mixed) {
                    float[][] extra = new float[fromPool][];
                    for (int i = 0; i < fromPool; i++) {
                        int p = random.nextInt(pool.size());
                        extra[i] = pool.get(p);
                        targets[clean + i] = poolLabels.get(p);
                    }
                    x = Nd4j.vstack(x, Nd4j.create(extra).castTo(x.dataType()));
                }
                double loss = adam.step(x, targets, rate);
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException(stage + ": training loss became " + loss + " at epoch " + (epoch + 1));
                }
                sum += loss;
                listener.progress(stage, ++done, total, sum / (s + 1));
            }
            epochs.finished(epoch + 1, sum / stepsPerEpoch);
        }
    }

    /**
     * Replaces part of the pool (or fills it) with adversarial examples of the current network; the
     * oldest entries go first ({@code cursor} walks round the pool across epochs).
     */
    private void refill(DenseNetwork net, INDArray features, int[] labels, List<float[]> pool, List<Integer> poolLabels,
                        int poolSize, Random random, int[] cursor) {
        int wanted = pool.isEmpty() ? poolSize : (int) Math.round(poolSize * settings.refresh());
        List<AttackInput> inputs = new ArrayList<>();
        for (int i = 0; i < wanted; i++) {
            int index = random.nextInt(labels.length);
            int label = labels[index];
            int target = (label + 1 + random.nextInt(9)) % 10;
            inputs.add(new AttackInput(index, features.getRow(index).toFloatVector(), label, new int[] {target}));
        }
        List<AttackRecord> records = new BoxConstrainedLbfgsAttack(net, settings.attack()).run(inputs, r -> { });
        for (AttackRecord record : records) {
            if (!record.succeeded() || record.rmsDistortion() > settings.maxDistortion()) {
                continue;
            }
            if (pool.size() < poolSize) {
                pool.add(record.adversarial());
                poolLabels.add(record.trueLabel());
            } else {
                int slot = cursor[0]++ % poolSize;
                pool.set(slot, record.adversarial());
                poolLabels.set(slot, record.trueLabel());
            }
        }
    }
}
