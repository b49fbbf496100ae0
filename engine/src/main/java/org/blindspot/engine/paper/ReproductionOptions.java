package org.blindspot.engine.paper;

import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.train.TrainOptions;

/**
 * Settings of {@link Reproduction}.
 *
 * @param quick         the quick variant (subsets, same pipeline)
 * @param trainImages   training images per model (0: the whole split)
 * @param train         trainer settings
 * @param attackImages  test images attacked per table (the first ones every model of the table
 *                      classifies correctly), with target {@code next}
 * @param closestImages of those, how many get the {@code closest} attack (all 9 targets) for
 *                      Table 1's minimum distortion
 * @param attack        attack settings
 * @param seed          seed of training, targets and noise
 */
public record ReproductionOptions(boolean quick, int trainImages, TrainOptions train, int attackImages,
                                  int closestImages, AttackOptions attack, long seed) {

    public ReproductionOptions {
        if (trainImages < 0) {
            throw new IllegalArgumentException("trainImages: must be >= 0, got " + trainImages);
        }
        if (attackImages < 1) {
            throw new IllegalArgumentException("attackImages: must be >= 1, got " + attackImages);
        }
        if (closestImages < 0 || closestImages > attackImages) {
            throw new IllegalArgumentException("closestImages: must lie in 0..attackImages, got " + closestImages);
        }
    }

    /** Minutes on 2 cores: 6,000 training images per model, 10 epochs, 40 attacked images, 10 closest. */
    public static ReproductionOptions quickRun() {
        return new ReproductionOptions(true, 6000,
                TrainOptions.defaults().withEpochs(10).withBatchSize(32).withLearningRate(0.01), 40, 10,
                AttackOptions.defaults(), 1);
    }

    /** The paper's setting: all training images, the default trainer, 1,000 attacked images, 100 closest. */
    public static ReproductionOptions fullRun() {
        return new ReproductionOptions(false, 0, TrainOptions.defaults(), 1000, 100, AttackOptions.defaults(), 1);
    }

    public ReproductionOptions withAttackImages(int value) {
        return new ReproductionOptions(quick, trainImages, train, value, Math.min(closestImages, value), attack, seed);
    }

    public ReproductionOptions withClosestImages(int value) {
        return new ReproductionOptions(quick, trainImages, train, attackImages, value, attack, seed);
    }

    public ReproductionOptions withTrainImages(int value) {
        return new ReproductionOptions(quick, value, train, attackImages, closestImages, attack, seed);
    }

    public ReproductionOptions withTrain(TrainOptions value) {
        return new ReproductionOptions(quick, trainImages, value, attackImages, closestImages, attack, seed);
    }
}
