package org.blindspot.engine.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.attack.CSearch;
import org.blindspot.engine.attack.Penalty;
import org.blindspot.engine.attack.TargetRule;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.run.AttackJob;
import org.blindspot.engine.runtime.BackendInfo;
import org.blindspot.engine.solver.SolverProfile;
import org.nd4j.linalg.api.buffer.DataType;
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

    @Option(names = "--c-init", description = "c of the first solve of every problem (default: 1).")
    Double cInit;

    @Option(names = "--adaptive-c", description = "Start each problem from the median c found so far (fewer "
            + "evaluations; results then depend on the order problems finish in).")
    boolean adaptiveC;

    @Option(names = "--c-factor", description = "Factor by which c grows or shrinks until the outcomes bracket the "
            + "threshold with --c-search interpolation or bisection, and the longest step with extrapolation "
            + "(default: 10).")
    Double cFactor;

    @Option(names = "--c-search", paramLabel = "METHOD", description = "How the bracket on c is found and narrowed: "
            + "extrapolation (default: secant steps to the root of the solves' logit margins in log c, then "
            + "interpolation), interpolation (factors of --c-factor, then the margins' root, safeguarded) or "
            + "bisection (factors, then bisection in log c on outcomes only).")
    String cSearch;

    @Option(names = "--c-tolerance", description = "Relative width at which the search over c stops (default: 0.05).")
    Double cTolerance;

    @Option(names = "--batch", description = "Problems solved in lockstep (default: 1024).")
    Integer batch;

    @Option(names = "--max-iterations", description = "L-BFGS-B iterations per solve (default: 100).")
    Integer maxIterations;

    @Option(names = "--memory", paramLabel = "M",
            description = "Correction pairs kept per row, L-BFGS-B's m (default: 5; SciPy's is 10).")
    Integer memory;

    @Option(names = "--history", paramLabel = "keep|reset", defaultValue = "keep", description = "With the squared "
            + "penalty, each solve after a problem's first keeps the correction pairs of its last solve, shifted to "
            + "the new c (keep, default: about a sixth fewer evaluations), or starts with an empty history (reset).")
    String history;

    @Option(names = "--margin", description = "Success needs logit[target] - max other logit > margin (default: 0).")
    Double margin;

    @Option(names = "--precision", defaultValue = "float32", description = "float32 (default) or float64 for the solves.")
    String precision;

    @Option(names = "--threads", description = "Threads for the solver's per-row work (default: the number of "
            + "processors; the solver's iterates do not depend on it, but with more than one the model is called on "
            + "two halves of the batch, whose float32 results can differ from one call's in the last bits).")
    Integer threads;

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
        Map<String, Object> describe = new LinkedHashMap<>();
        describe.put("model", loaded.source().toAbsolutePath().normalize().toString());
        describe.put("model_name", ModelOptions.name(loaded));
        describe.putAll(images.describe());
        AttackJob.Spec spec = new AttackJob.Spec(images.candidates(data.count()),
                images.first == null ? Integer.MAX_VALUE : images.first, correctOnly, rule,
                gaussian ? sigma : Double.NaN, seed, options, describe);
        System.err.printf(Locale.ROOT, "attacking %s with %s on %s%n", data.name(),
                gaussian ? "gaussian noise (sigma " + sigma + ")" : "L-BFGS-B, target " + rule + ", penalty "
                        + options.penalty().id(), BackendInfo.current().oneLine());
        AttackJob.Result result;
        try (ProgressBar bar = new ProgressBar("attack")) {
            result = AttackJob.run(loaded.classifier(), data, spec, out, fresh, bar::update, System.err::println);
        }
        print(result.summary());
        if (SolverProfile.ENABLED) {
            System.out.print(SolverProfile.table());
        }
        return 0;
    }

    private AttackOptions options() {
        AttackOptions o = AttackOptions.defaults().withPenalty(Penalty.parse(penalty));
        if (searchSteps != null) {
            o = o.withSearchSteps(searchSteps);
        }
        if (cInit != null) {
            o = o.withInitialC(cInit);
        }
        if (adaptiveC) {
            o = o.withAdaptiveC(true);
        }
        if (cTolerance != null) {
            o = o.withCTolerance(cTolerance);
        }
        if (cFactor != null) {
            o = o.withSearchFactor(cFactor);
        }
        if (cSearch != null) {
            o = o.withCSearch(CSearch.parse(cSearch));
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
        if (memory != null) {
            o = o.withMemory(memory);
        }
        if (threads != null) {
            o = o.withThreads(threads);
        }
        o = o.withKeepHistory(AttackOptions.parseHistory(history));
        return o.withPrecision(switch (precision.toLowerCase(Locale.ROOT)) {
            case "float32" -> DataType.FLOAT;
            case "float64" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("--precision: expected float32 or float64, got " + precision);
        });
    }

    static void print(Map<String, Object> summary) {
        System.out.printf(Locale.ROOT, "examples %s, succeeded %s (%.1f%%), mean RMS distortion %s, median %s%n",
                summary.get("examples"), summary.get("succeeded"), 100 * (double) summary.get("success_rate"),
                format(summary.get("mean_rms_distortion")), format(summary.get("median_rms_distortion")));
        System.out.printf(Locale.ROOT, "gradient evaluations per example %.1f, %.1f examples/s, %.1f s "
                        + "(%.0f%% of it in the model)%n",
                (double) summary.get("gradient_evaluations_per_example"),
                summary.get("examples_per_second") == null ? 0.0 : (double) summary.get("examples_per_second"),
                (double) summary.get("wall_seconds"),
                summary.get("model_share_of_wall") == null ? 0.0 : 100 * (double) summary.get("model_share_of_wall"));
    }

    private static String format(Object value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.4f", (double) value);
    }
}
