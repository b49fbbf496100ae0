package org.blindspot.engine.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.blindspot.engine.attack.AttackInput;
import org.blindspot.engine.attack.AttackListener;
import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.attack.CSearch;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.attack.BoxConstrainedLbfgsAttack;
import org.blindspot.engine.attack.GaussianNoise;
import org.blindspot.engine.attack.TargetRule;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.Predictions;
import org.blindspot.engine.runtime.BackendInfo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One attack run into one folder: picks the images, skips those already finished (resume), runs
 * the L-BFGS attack or the Gaussian baseline, writes every record as it finishes, and ends with
 * summary.json, adversarial.npy and grid.png. Used by {@code attack} and by {@code reproduce}.
 */
public final class AttackJob {

    /**
     * What to attack and how.
     *
     * @param candidates  data-set indices to consider, in order
     * @param limit       at most this many examples (after the correct-only filter)
     * @param correctOnly skip images the model misclassifies
     * @param rule        target rule (L-BFGS)
     * @param sigma       noise stddev; NaN for the L-BFGS attack
     * @param seed        seed of random targets and noise
     * @param options     attack options (L-BFGS)
     * @param describe    identifying settings of the run (model, data) for run.json
     */
    public record Spec(int[] candidates, int limit, boolean correctOnly, TargetRule rule, double sigma, long seed,
                       AttackOptions options, Map<String, Object> describe) {

        /** Whether this is the Gaussian-noise baseline. */
        public boolean gaussian() {
            return !Double.isNaN(sigma);
        }

        /** The settings written to run.json. */
        public Map<String, Object> settings() {
            Map<String, Object> map = new LinkedHashMap<>(describe);
            map.put("limit", limit);
            map.put("correct_only", correctOnly);
            map.put("method", gaussian() ? "gaussian" : "lbfgs");
            map.put("seed", seed);
            if (gaussian()) {
                map.put("sigma", sigma);
                return map;
            }
            map.put("target", rule.toString());
            map.put("penalty", options.penalty().id());
            map.put("c_init", options.initialC());
            map.put("adaptive_c", options.adaptiveC());
            map.put("c_factor", options.searchFactor());
            map.put("c_tolerance", options.cTolerance());
            if (options.cSearch() != CSearch.BISECTION) {
                map.put("c_search", options.cSearch().id()); // absent means bisection, as in folders made before
            }
            map.put("search_steps", options.searchSteps());
            map.put("batch", options.batch());
            map.put("max_iterations", options.maxIterations());
            map.put("memory", options.memory()); // absent: 10, in folders made before the option
            if (options.historyKept()) {
                map.put("history", "keep"); // absent: every solve started with an empty history
            }
            map.put("ftol", options.ftol());
            map.put("margin", options.margin());
            map.put("precision", options.precision() == DataType.FLOAT ? "float32" : "float64");
            return map;
        }
    }

    /** What a run produced: records and originals in input order, and the summary figures. */
    public record Result(List<AttackRecord> records, List<float[]> originals, Map<String, Object> summary) {
    }

    /**
     * Progress of a run: done, total, and a short message, made by the supplier only when the receiver shows it
     * (progress is reported once per finished example).
     */
    public interface Progress {
        void update(int done, int total, Supplier<String> message);
    }

    private AttackJob() {
    }

    /**
     * Runs (or resumes) the job in {@code out}.
     *
     * @param log receives one-line notes (resuming, what is attacked)
     */
    public static Result run(Classifier model, Dataset data, Spec spec, Path out, boolean fresh, Progress progress,
                             Consumer<String> log) {
        List<AttackInput> inputs = select(model, data, spec);
        if (fresh) {
            RunFolder.clear(out);
        }
        long start = System.nanoTime();
        List<AttackRecord> all = new ArrayList<>();
        int computed;
        double modelSeconds = 0;
        try (RunFolder folder = RunFolder.open(out, spec.settings(), data.inputSize())) {
            List<AttackInput> todo = new ArrayList<>();
            for (AttackInput input : inputs) {
                if (!folder.finished().containsKey(input.index())) {
                    todo.add(input);
                }
            }
            if (todo.size() < inputs.size()) {
                log.accept(String.format("resuming: %d of %d examples already done in %s",
                        inputs.size() - todo.size(), inputs.size(), out));
            }
            Counter counter = new Counter(progress, inputs.size(), inputs.size() - todo.size(), folder);
            if (spec.gaussian()) {
                new GaussianNoise(model, spec.sigma(), spec.seed(), data.lower(), data.upper()).run(todo, counter);
            } else {
                BoxConstrainedLbfgsAttack attack = new BoxConstrainedLbfgsAttack(model, spec.options(), data.lower(),
                        data.upper());
                attack.run(todo, counter);
                modelSeconds = attack.modelSeconds();
            }
            computed = todo.size();
            for (AttackInput input : inputs) {
                all.add(folder.finished().get(input.index()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> summary = summary(all, seconds, computed, modelSeconds, spec);
        List<float[]> originals = new ArrayList<>();
        for (AttackInput input : inputs) {
            originals.add(input.image());
        }
        RunSummary.write(out, summary, all, originals, data.height(), data.lower(), data.upper());
        return new Result(all, originals, summary);
    }

    /**
     * The figures of summary.json: {@link RunSummary#figures}, the time spent in the model, the
     * backend and the spec's settings.
     *
     * @param records      every example of the run, in input order
     * @param seconds      wall time of this invocation
     * @param computed     examples computed in this invocation (not resumed)
     * @param modelSeconds seconds spent in the model: its batched loss-and-gradient calls and the forward passes
     *                     of the success checks
     */
    public static Map<String, Object> summary(List<AttackRecord> records, double seconds, int computed,
                                              double modelSeconds, Spec spec) {
        Map<String, Object> summary = RunSummary.figures(records, seconds, computed);
        summary.put("model_seconds", modelSeconds);
        summary.put("model_share_of_wall", seconds > 0 ? modelSeconds / seconds : null);
        summary.put("backend", BackendInfo.current().oneLine());
        summary.put("java", BackendInfo.jvm());
        summary.put("settings", spec.settings());
        return summary;
    }

    /** The inputs of a spec: candidates in order, filtered and limited, with their targets. */
    public static List<AttackInput> select(Classifier model, Dataset data, Spec spec) {
        int[] candidates = spec.candidates();
        Random random = new Random(spec.seed());
        List<AttackInput> inputs = new ArrayList<>();
        int chunk = 1000;
        for (int from = 0; from < candidates.length && inputs.size() < spec.limit(); from += chunk) {
            int to = Math.min(candidates.length, from + chunk);
            float[][] batch = new float[to - from][];
            for (int i = from; i < to; i++) {
                batch[i - from] = data.image(candidates[i]);
            }
            INDArray logits = model.logits(Nd4j.create(batch).castTo(model.dataType()));
            double[][] values = Predictions.hostRows(logits);
            int[] predicted = Predictions.argmax(logits);
            for (int i = from; i < to && inputs.size() < spec.limit(); i++) {
                int index = candidates[i];
                int label = data.label(index);
                if (spec.correctOnly() && predicted[i - from] != label) {
                    continue;
                }
                int[] targets = spec.gaussian() ? new int[0] : spec.rule().targets(label, values[i - from], random);
                inputs.add(new AttackInput(index, batch[i - from], label, targets));
            }
        }
        return inputs;
    }

    /** Writes each record as it finishes and reports progress. */
    private static final class Counter implements AttackListener {
        private final Progress progress;
        private final int total;
        private final int resumed;
        private final RunFolder folder;
        private final long start = System.nanoTime();
        private int done;
        private int succeeded;
        private double distortion;

        Counter(Progress progress, int total, int resumed, RunFolder folder) {
            this.progress = progress;
            this.total = total;
            this.resumed = resumed;
            this.done = resumed;
            this.folder = folder;
        }

        @Override
        public void finished(AttackRecord record) {
            folder.append(record);
            done++;
            if (record.succeeded()) {
                succeeded++;
                distortion += record.rmsDistortion();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int fresh = done - resumed;
            int doneNow = done;
            double successPercent = fresh == 0 ? 0.0 : 100.0 * succeeded / fresh;
            double meanDistortion = succeeded == 0 ? 0.0 : distortion / succeeded;
            double rate = seconds > 0 ? fresh / seconds : 0.0;
            progress.update(done, total, () -> String.format(java.util.Locale.ROOT,
                    "%d/%d success %.1f%% distortion %.4f %.1f ex/s", doneNow, total, successPercent, meanDistortion,
                    rate));
        }
    }
}
