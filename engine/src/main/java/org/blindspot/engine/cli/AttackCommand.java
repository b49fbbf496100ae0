package org.blindspot.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.blindspot.engine.attack.AttackInput;
import org.blindspot.engine.attack.AttackListener;
import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.attack.BoxConstrainedLbfgsAttack;
import org.blindspot.engine.attack.GaussianNoise;
import org.blindspot.engine.attack.Penalty;
import org.blindspot.engine.attack.TargetRule;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.model.Predictions;
import org.blindspot.engine.run.RunFolder;
import org.blindspot.engine.run.RunSummary;
import org.blindspot.engine.runtime.BackendInfo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code blindspot attack}: minimum-distortion adversarial examples for a model and a set of images. */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = {"Minimum-distortion adversarial examples (Szegedy et al. 2014, section 4.1), or Gaussian noise.",
                "Writes summary.json, records.jsonl, adversarial.npy and grid.png to --out; an interrupted run",
                "restarted with the same --out continues where it stopped."})
final class AttackCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOptions model;

    @Mixin
    ImageOptions images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--fresh", description = "Replace the results already in --out instead of resuming.")
    boolean fresh;

    @Option(names = "--correct-only", description = "Attack only images the model classifies correctly.")
    boolean correctOnly;

    @Option(names = "--method", defaultValue = "lbfgs",
            description = "lbfgs (the paper's attack) or gaussian (noise baseline). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--sigma", defaultValue = "0.1", description = "Gaussian noise stddev per pixel (default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(names = "--target", defaultValue = "next",
            description = "A label, next, random, least-likely or closest (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--penalty", defaultValue = "l2sq", description = "l2sq (default) or l2: the distance term d(r).")
    String penalty;

    @Option(names = "--search-steps", description = "Most solves per (image, target) in the search over c (default: 10).")
    Integer searchSteps;

    @Option(names = "--c-init", description = "c of the first solve (default: 1, then the median c found so far).")
    Double cInit;

    @Option(names = "--c-tolerance", description = "Relative width at which the search over c stops (default: 0.05).")
    Double cTolerance;

    @Option(names = "--batch", description = "Problems solved in lockstep (default: 256).")
    Integer batch;

    @Option(names = "--max-iterations", description = "L-BFGS-B iterations per solve (default: 100).")
    Integer maxIterations;

    @Option(names = "--margin", description = "Success needs logit[target] - max other logit > margin (default: 0).")
    Double margin;

    @Option(names = "--precision", defaultValue = "float32", description = "float32 (default) or float64 for the solves.")
    String precision;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of random targets and noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        AttackOptions options = options();
        TargetRule rule = TargetRule.parse(target);
        boolean gaussian = switch (method.toLowerCase(Locale.ROOT)) {
            case "lbfgs" -> false;
            case "gaussian" -> true;
            default -> throw new IllegalArgumentException("--method: unknown '" + method + "'; expected lbfgs or gaussian");
        };
        Dataset data = images.dataset();
        ModelFile.Loaded loaded = model.load(data.inputSize());
        Classifier network = loaded.network();

        List<AttackInput> inputs = selectInputs(data, network, rule);
        Map<String, Object> settings = settings(loaded, options, rule, gaussian);
        if (fresh) {
            RunFolder.clear(out);
        }
        long start = System.nanoTime();
        List<AttackRecord> all = new ArrayList<>();
        int computed;
        try (RunFolder folder = RunFolder.open(out, settings, data.inputSize());
             ProgressBar bar = new ProgressBar("attack")) {
            List<AttackInput> todo = new ArrayList<>();
            for (AttackInput input : inputs) {
                if (!folder.finished().containsKey(input.index())) {
                    todo.add(input);
                }
            }
            if (todo.size() < inputs.size()) {
                System.err.printf(Locale.ROOT, "resuming: %d of %d examples already done in %s%n",
                        inputs.size() - todo.size(), inputs.size(), out);
            }
            System.err.printf(Locale.ROOT, "attacking %d images of %s with %s on %s%n", todo.size(), data.name(),
                    gaussian ? "gaussian noise (sigma " + sigma + ")" : "L-BFGS-B, target " + rule + ", penalty "
                            + options.penalty().id(), BackendInfo.current().oneLine());
            Progress progress = new Progress(bar, inputs.size(), inputs.size() - todo.size(), folder);
            if (gaussian) {
                new GaussianNoise(network, sigma, seed).run(todo, progress);
            } else {
                new BoxConstrainedLbfgsAttack(network, options).run(todo, progress);
            }
            computed = todo.size();
            for (AttackInput input : inputs) {
                all.add(folder.finished().get(input.index()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> summary = RunSummary.figures(all, seconds, computed);
        summary.put("backend", BackendInfo.current().oneLine());
        summary.put("settings", settings);
        List<float[]> originals = new ArrayList<>();
        for (AttackInput input : inputs) {
            originals.add(input.image());
        }
        RunSummary.write(out, summary, all, originals, data.height());
        print(summary);
        return 0;
    }

    private List<AttackInput> selectInputs(Dataset data, Classifier network, TargetRule rule) {
        int[] candidates = images.candidates(data.count());
        Random random = new Random(seed);
        List<AttackInput> inputs = new ArrayList<>();
        int limit = images.first == null ? Integer.MAX_VALUE : images.first;
        int chunk = 1000;
        for (int from = 0; from < candidates.length && inputs.size() < limit; from += chunk) {
            int to = Math.min(candidates.length, from + chunk);
            float[][] batch = new float[to - from][];
            for (int i = from; i < to; i++) {
                batch[i - from] = data.image(candidates[i]);
            }
            INDArray logits = network.logits(Nd4j.create(batch).castTo(network.dataType()));
            double[][] values = logits.toDoubleMatrix();
            int[] predicted = Predictions.argmax(logits);
            for (int i = from; i < to && inputs.size() < limit; i++) {
                int index = candidates[i];
                int label = data.label(index);
                if (correctOnly && predicted[i - from] != label) {
                    continue;
                }
                inputs.add(new AttackInput(index, batch[i - from], label, rule.targets(label, values[i - from], random)));
            }
        }
        return inputs;
    }

    private AttackOptions options() {
        AttackOptions o = AttackOptions.defaults().withPenalty(Penalty.parse(penalty));
        if (searchSteps != null) {
            o = o.withSearchSteps(searchSteps);
        }
        if (cInit != null) {
            o = o.withInitialC(cInit);
        }
        if (cTolerance != null) {
            o = o.withCTolerance(cTolerance);
        }
        if (batch != null) {
            o = o.withBatch(batch);
        }
        if (maxIterations != null) {
            o = o.withMaxIterations(maxIterations);
        }
        if (margin != null) {
            o = o.withMargin(margin);
        }
        return o.withPrecision(switch (precision.toLowerCase(Locale.ROOT)) {
            case "float32" -> DataType.FLOAT;
            case "float64" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("--precision: expected float32 or float64, got " + precision);
        });
    }

    private Map<String, Object> settings(ModelFile.Loaded loaded, AttackOptions options, TargetRule rule,
                                         boolean gaussian) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("model", loaded.source().toAbsolutePath().normalize().toString());
        map.put("model_name", ModelOptions.name(loaded));
        map.putAll(images.describe());
        map.put("correct_only", correctOnly);
        map.put("method", gaussian ? "gaussian" : "lbfgs");
        map.put("seed", seed);
        if (gaussian) {
            map.put("sigma", sigma);
            return map;
        }
        map.put("target", rule.toString());
        map.put("penalty", options.penalty().id());
        map.put("c_init", options.initialC());
        map.put("adaptive_c", options.adaptiveC());
        map.put("c_factor", options.searchFactor());
        map.put("c_tolerance", options.cTolerance());
        map.put("search_steps", options.searchSteps());
        map.put("batch", options.batch());
        map.put("max_iterations", options.maxIterations());
        map.put("margin", options.margin());
        map.put("precision", options.precision() == DataType.FLOAT ? "float32" : "float64");
        return map;
    }

    private static void print(Map<String, Object> summary) {
        System.out.printf(Locale.ROOT, "examples %s, succeeded %s (%.1f%%), mean RMS distortion %s, median %s%n",
                summary.get("examples"), summary.get("succeeded"), 100 * (double) summary.get("success_rate"),
                format(summary.get("mean_rms_distortion")), format(summary.get("median_rms_distortion")));
        System.out.printf(Locale.ROOT, "gradient evaluations per example %.1f, %.1f examples/s, %.1f s%n",
                (double) summary.get("gradient_evaluations_per_example"),
                summary.get("examples_per_second") == null ? 0.0 : (double) summary.get("examples_per_second"),
                (double) summary.get("wall_seconds"));
    }

    private static String format(Object value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.4f", (double) value);
    }

    /** Writes each record as it finishes and draws the progress bar. */
    private static final class Progress implements AttackListener {
        private final ProgressBar bar;
        private final int total;
        private final RunFolder folder;
        private final long start = System.nanoTime();
        private final int resumed;
        private int done;
        private int succeeded;
        private double distortion;

        Progress(ProgressBar bar, int total, int resumed, RunFolder folder) {
            this.bar = bar;
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
            bar.update(done, total, String.format(Locale.ROOT, "%d/%d success %.1f%% distortion %.4f %.1f ex/s",
                    done, total, fresh == 0 ? 0.0 : 100.0 * succeeded / fresh,
                    succeeded == 0 ? 0.0 : distortion / succeeded, seconds > 0 ? fresh / seconds : 0.0));
        }
    }
}
