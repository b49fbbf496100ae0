package org.blindspot.engine.train;

/** Receives progress of a training run; the command line draws a progress bar from it. */
public interface TrainingListener {

    /**
     * Called after each unit of work.
     *
     * @param stage  what is being trained, e.g. "autoencoder" or "fc100-100-10"
     * @param done   units done (minibatch steps or L-BFGS iterations)
     * @param total  units planned
     * @param loss   the current training loss (data term plus weight decay)
     */
    void progress(String stage, long done, long total, double loss);

    /** A listener that ignores everything. */
    TrainingListener NONE = (stage, done, total, loss) -> { };
}
