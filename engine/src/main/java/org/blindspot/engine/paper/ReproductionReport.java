package org.blindspot.engine.paper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blindspot.engine.io.AtomicFiles;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.run.CurvePlot;
import org.blindspot.engine.run.HistogramPlot;
import org.blindspot.engine.run.Json;

/**
 * report.md, a self-contained report.html (images inlined) and results.json: every table with
 * the paper's number beside ours, the settings, wall time per stage, backend, and figures.
 */
final class ReproductionReport {

    private ReproductionReport() {
    }

    static void write(Path out, ReproductionResult r) {
        Path figures = out.resolve("figures");
        StringBuilder md = new StringBuilder();
        md.append("# Szegedy et al. (2014) on MNIST, reproduced by Blindspot\n\n");
        md.append(String.format(Locale.ROOT, "Mode: %s. Backend: %s. Each cell: **ours** (paper).%n%n",
                r.options.quick() ? "quick (subsets: " + r.options.trainImages() + " training images per model, "
                        + r.options.train().epochs() + " epochs)" : "full", r.backend));
        md.append(settings(r));
        md.append(table1(r, figures));
        md.append(transfer("Table 2: error of each model (columns) on adversarial examples made for each model (rows)",
                r.table2, PaperNumbers.TABLE2, PaperNumbers.TABLE1_MODELS));
        md.append(table3(r));
        md.append(transfer("Table 4: cross-training-set transfer, adversarial examples made on the test set",
                r.table4, PaperNumbers.TABLE4, PaperNumbers.TABLE3_MODELS));
        md.append("Magnified rows: the perturbation x' - x rescaled to a per-pixel RMS of 0.1, "
                + "x + 0.1 (x' - x) / RMS(x' - x), clipped to [0, 1].\n\n");
        md.append(deviations(r));
        md.append(adversarialSection(r, figures));
        md.append(unitsSection(r));
        md.append(spectralSection(r));
        md.append(figuresSection(r, figures));
        md.append(stages(r));
        try {
            Files.createDirectories(figures);
            Files.writeString(out.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
            String html = html(md.toString(), out);
            AtomicFiles.write(out.resolve("report.html"), o -> o.write(html.getBytes(StandardCharsets.UTF_8)));
            byte[] json = Json.PRETTY.writeValueAsBytes(results(r));
            AtomicFiles.write(out.resolve("results.json"), o -> o.write(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report in " + out + ": " + e.getMessage(), e);
        }
    }

    private static String settings(ReproductionResult r) {
        var a = r.options.attack();
        return String.format(Locale.ROOT, "Attack: box-constrained L-BFGS-B on c * d(r) + CE, penalty %s, search over c "
                        + "(factor %.0f, then %s to a relative tolerance %.2f, at most %d solves), %d iterations per solve, m = %d, "
                        + "%s, ftol %.0e, "
                        + "%s. Images: the first %d test images every model of the table classifies correctly, "
                        + "target `next` ((y+1) mod 10); Table 1's minimum distortion also with `closest` (all 9 "
                        + "targets, smallest success kept) on the first %d of them. Distortion: sqrt(mean((x'-x)^2)) over "
                        + "the 784 pixels, mean over successful examples.%n%n",
                a.penalty().id(), a.searchFactor(), a.cSearch().id(), a.cTolerance(), a.searchSteps(), a.maxIterations(), a.memory(),
                a.historyKept() ? "history kept from solve to solve (shifted to the new c)"
                        : "each solve with an empty history",
                a.ftol(),
                a.precision().name().toLowerCase(Locale.ROOT), r.options.attackImages(), r.options.closestImages());
    }

    private static String table1(ReproductionResult r, Path figures) {
        StringBuilder s = new StringBuilder("## Table 1: models, errors, minimum distortion\n\n");
        s.append("| model | train error | test error | success (next) | distortion, next | distortion, closest |\n");
        s.append("|---|---|---|---|---|---|\n");
        for (String id : PaperNumbers.TABLE1_MODELS) {
            double[] paper = PaperNumbers.TABLE1.get(id);
            double[] ours = r.errors.get(id);
            s.append(String.format(Locale.ROOT, "| %s | %s (%s) | %s (%s) | %s | %s (%.3f) | %s (%.3f) |%n", id,
                    pct(ours[0]), pct(paper[0]), pct(ours[1]), pct(paper[1]), success(r, id + "/next"),
                    distortion(r, id + "/next"), paper[2], distortion(r, id + "/closest"), paper[2]));
        }
        return s.append('\n').toString();
    }

    private static String table3(ReproductionResult r) {
        StringBuilder s = new StringBuilder("## Table 3: models trained on the halves P1 and P2\n\n");
        s.append("| model | train error | test error | distortion, next |\n|---|---|---|---|\n");
        for (String id : PaperNumbers.TABLE3_MODELS) {
            double[] paper = PaperNumbers.TABLE3.get(id);
            double[] ours = r.errors.get(id);
            s.append(String.format(Locale.ROOT, "| %s | %s (%s) | %s (%s) | %s (%.3f) |%n", id, pct(ours[0]),
                    pct(paper[0]), pct(ours[1]), pct(paper[1]), distortion(r, id + "/next"), paper[2]));
        }
        return s.append('\n').toString();
    }

    private static String transfer(String title, TransferMatrix m, Map<String, double[]> paper, String[] order) {
        StringBuilder s = new StringBuilder("## " + title + "\n\n| made for |");
        for (String c : m.columns()) {
            s.append(' ').append(c).append(" |");
        }
        s.append(" av. distortion |\n|---|");
        s.append("---|".repeat(m.columns().size() + 1)).append('\n');
        for (int row = 0; row < m.rows().size(); row++) {
            String name = m.rows().get(row);
            double[] reference = paper.get(name);
            s.append("| ").append(name).append(" |");
            for (int c = 0; c < m.columns().size(); c++) {
                s.append(' ').append(pct(m.error(row, c)));
                if (reference != null) {
                    s.append(" (").append(pct(reference[c])).append(')');
                }
                s.append(" |");
            }
            s.append(String.format(Locale.ROOT, " %.3f |%n", m.distortion(row)));
        }
        return s.append('\n').toString();
    }

    private static String figuresSection(ReproductionResult r, Path figures) {
        StringBuilder s = new StringBuilder("## Figures\n\n");
        s.append("Adversarial examples (rows: originals, perturbations magnified around grey, adversarial images) "
                + "and the distribution of their distortion, per model.\n\n");
        for (Map.Entry<String, Path> grid : r.grids.entrySet()) {
            String id = grid.getKey();
            Path histogram = figures.resolve("histogram-" + id + ".png");
            double[] values = r.distortions.getOrDefault(id + "/next", new double[0]);
            HistogramPlot.write(histogram, id, values, 0.15);
            s.append("### ").append(id).append("\n\n");
            s.append("![").append(id).append(" adversarial examples](").append(relative(grid.getValue(), figures.getParent()))
                    .append(")\n\n");
            s.append("![").append(id).append(" distortion histogram](figures/histogram-").append(id).append(".png)\n\n");
        }
        return s.toString();
    }

    /**
     * Every test error more than 0.5 points and every distortion more than 25% from the paper's, with
     * what is known to cause it.
     */
    private static String deviations(ReproductionResult r) {
        StringBuilder s = new StringBuilder("## Deviations from the paper\n\n");
        s.append("Test errors more than 0.5 points and distortions more than 25% away from the paper's:\n\n");
        int found = 0;
        Map<String, double[]> paper = new LinkedHashMap<>(PaperNumbers.TABLE1);
        paper.putAll(PaperNumbers.TABLE3);
        for (Map.Entry<String, double[]> e : paper.entrySet()) {
            double[] ours = r.errors.get(e.getKey());
            if (ours != null && Math.abs(ours[1] - e.getValue()[1]) > 0.005) {
                found++;
                s.append(String.format(Locale.ROOT, "- %s test error %s vs %s: %s%n", e.getKey(), pct(ours[1]),
                        pct(e.getValue()[1]), errorCause(e.getKey(), r)));
            }
            for (String target : new String[] {"next", "closest"}) {
                Map<String, Object> attack = r.attacks.get(e.getKey() + "/" + target);
                Object mean = attack == null ? null : attack.get("mean_rms_distortion");
                if (mean != null && Math.abs(((Number) mean).doubleValue() / e.getValue()[2] - 1) > 0.25) {
                    found++;
                    s.append(String.format(Locale.ROOT, "- %s distortion (%s) %.3f vs %.3f: %s%n", e.getKey(), target,
                            ((Number) mean).doubleValue(), e.getValue()[2], distortionCause(target)));
                }
            }
        }
        if (found == 0) {
            s.append("- none.\n");
        }
        s.append("\nTransfer tables: the Gaussian rows add noise of the stated stddev and clip to [0, 1] (RMS change ")
                .append("0.074 and 0.216 after clipping); the paper does not say whether it clipped, and its stddev-0.3 ")
                .append("row (about 3-5% error on the larger models) is far below ours, which suggests a different ")
                .append("noise or preprocessing. Transfer rates between models depend on how each model was trained ")
                .append("(the paper's models were trained by full-batch L-BFGS until convergence, ours by Adam).\n\n");
        return s.toString();
    }

    private static String errorCause(String id, ReproductionResult r) {
        if (id.startsWith("fc10-") && !r.options.quick()) {
            return "the weight decay " + DenseLayer.PENALTY_FORM + ", trained to convergence by full-batch L-BFGS, "
                    + "gives FC10(1e-2) and FC10(1) within 0.25 points of the paper (README.md, Model zoo); "
                    + "this one was trained by Adam.";
        }
        if (id.endsWith("-p1") || id.endsWith("-p2")) {
            return "trained on 30,000 images for the same number of epochs as the 60,000-image models"
                    + (r.options.quick() ? " (and on a subset in quick mode)." : ".");
        }
        if (r.options.quick()) {
            return "quick mode trains on " + r.options.trainImages() + " images for " + r.options.train().epochs()
                    + " epochs.";
        }
        return "Adam with the default schedule instead of L-BFGS until convergence.";
    }

    private static String distortionCause(String target) {
        if (target.equals("closest")) {
            return "`closest` keeps the smallest distortion over all nine targets, the true minimum; the paper's "
                    + "column matches a single target per image (our `next` column), so its 'minimum' is per target.";
        }
        return "the attack finds a smaller perturbation than the paper's for this model (see the `next` column).";
    }

    private static String adversarialSection(ReproductionResult r, Path figures) {
        StringBuilder s = new StringBuilder("## Section 4.2: adversarial training\n\n");
        java.util.List<Double> base = r.adversarialCurves.get(AdversarialCurves.BASELINE);
        java.util.List<Double> adv = r.adversarialCurves.get(AdversarialCurves.ADVERSARIAL);
        if (base == null || adv == null || base.isEmpty() || adv.isEmpty()) {
            return s.append("Not run.\n\n").toString();
        }
        s.append("FC100-100-10 (sigmoid) trained with weight decay only, and the same network trained with ")
                .append(r.adversarialRecipe).append(". Input-space examples only (the paper also ")
                .append("used examples of each layer's output for the layers above).\n\n");
        s.append("| training | test error after the last epoch | paper |\n|---|---|---|\n");
        s.append(String.format(Locale.ROOT, "| weight decay only | %s | 1.6%% |%n", pct(base.get(base.size() - 1))));
        s.append(String.format(Locale.ROOT, "| adversarial training | %s | below 1.2%% |%n%n", pct(adv.get(adv.size() - 1))));
        CurvePlot.write(figures.resolve("adversarial-training.png"), "FC100-100-10 test error per epoch", "test error",
                r.adversarialCurves);
        s.append("![adversarial training curves](figures/adversarial-training.png)\n\n");
        s.append(adversarialVerdict(base.get(base.size() - 1), adv.get(adv.size() - 1)));
        return s.toString();
    }

    /** What the two final test errors say about the paper's claim. */
    static String adversarialVerdict(double baseline, double adversarial) {
        if (adversarial < 0.012) {
            return "Reproduced: below the paper's 1.2%.\n\n";
        }
        if (adversarial < baseline) {
            return String.format(Locale.ROOT, "Partly reproduced: the adversarial pool lowers the test error by %.2f "
                    + "points, in the paper's direction, but not below its 1.2%%. Which examples enter the pool "
                    + "matters: kept with the true label of the image they came from, examples far from it are partly "
                    + "images of their target class, and without the distortion cap (or with a loose one) the test "
                    + "error rises again as the step size decays (README, \"Section 4.2\").%n%n",
                    100 * (baseline - adversarial));
        }
        return "Not reproduced: the adversarial pool did not lower the test error (the curves above). The paper's "
                + "recipe (per-layer examples, its L-BFGS training, pool sizes) is not fully known.\n\n";
    }

    private static String unitsSection(ReproductionResult r) {
        StringBuilder s = new StringBuilder("## Section 3: units of a layer vs random directions\n\n");
        s.append("For each hidden unit i (direction e_i) and as many random unit directions v, the ")
                .append(Reproduction.UNITS_TOP).append(" test images maximising <phi(x), e_i> or <phi(x), v>. ")
                .append("Label purity: the share of the most frequent label among them, averaged over the ")
                .append("directions; chance: the same for random test images. The paper's claim is that both kinds ")
                .append("of direction are about equally coherent.\n\n");
        s.append("| layer | units | purity, unit directions | purity, random directions | purity, random images |\n");
        s.append("|---|---|---|---|---|\n");
        for (Map.Entry<String, UnitAnalysis.Result> e : r.units.entrySet()) {
            UnitAnalysis.Result u = e.getValue();
            s.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |%n", e.getKey(), u.units(),
                    u.unitPurity(), u.randomPurity(), u.chancePurity()));
        }
        s.append('\n');
        for (String key : r.units.keySet()) {
            String name = key.replace(" layer ", "-layer");
            s.append("### ").append(key).append(": top images of the first ").append(Reproduction.UNITS_SHOWN)
                    .append(" units (left) and of ").append(Reproduction.UNITS_SHOWN)
                    .append(" random directions (right)\n\n");
            s.append("![").append(key).append(" units](figures/").append(name).append("-units.png)\n\n");
            s.append("![").append(key).append(" random directions](figures/").append(name).append("-random.png)\n\n");
        }
        return s.toString();
    }

    private static String spectralSection(ReproductionResult r) {
        StringBuilder s = new StringBuilder("## Section 4.3: Lipschitz upper bounds per layer\n\n");
        s.append("Largest singular value of each layer's W times the activation's slope (1/4 for the sigmoid; the ")
                .append("logits layer has none), and their product. The paper reports such bounds for AlexNet ")
                .append("(conv1-5: 2.75, 10, 7, 7.5, 11; FC1-3: 3.12, 4, 4); convolution bounds are computed by ")
                .append("`ConvolutionBound` (DFT per frequency, stride by aliasing), checked against power iteration ")
                .append("on the operator in the tests; the convolutional cases follow the dense zoo.\n\n");
        s.append("| model | per-layer bounds | product |\n|---|---|---|\n");
        for (Map.Entry<String, List<SpectralBounds.Layer>> e : r.spectral.entrySet()) {
            StringBuilder layers = new StringBuilder();
            for (SpectralBounds.Layer l : e.getValue()) {
                layers.append(layers.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s: %.2f",
                        l.shape(), l.bound()));
            }
            s.append(String.format(Locale.ROOT, "| %s | %s | %.2f |%n", e.getKey(), layers,
                    SpectralBounds.product(e.getValue())));
        }
        s.append('\n');
        if (r.convSpectral != null) {
            s.append(convSection(r.convSpectral));
        }
        return s.toString();
    }

    private static String convSection(ConvSpectral c) {
        StringBuilder s = new StringBuilder("### A convolutional network trained here\n\n");
        s.append(String.format(Locale.ROOT, "`SmallConvNet` (5x5 conv, 16 channels, ReLU; 2x2 max-pool; 100 ReLU; "
                + "softmax), trained with DeepLearning4J's layers: test error %.2f%%. The conv bound is the DFT bound "
                + "of the periodic convolution on a 32x32 grid, which contains the network's valid convolution; that "
                + "valid operator's own norm by power iteration is %.3f.%n%n", 100 * c.convNetError(), c.validNorm()));
        s.append("| layer | shape | upper bound |\n|---|---|---|\n");
        for (SpectralBounds.Layer l : c.convNet()) {
            s.append(String.format(Locale.ROOT, "| %d | %s | %.3f |%n", l.layer(), l.shape(), l.bound()));
        }
        s.append(String.format(Locale.ROOT, "%nProduct: %.2f.%n%n", SpectralBounds.product(c.convNet())));
        s.append("### AlexNet's layer shapes\n\n");
        if (c.alexNet().isEmpty()) {
            return s.append("Computed by the full run only (about a minute of power iterations).\n\n").toString();
        }
        s.append("He-initialised weights (Gaussian, variance 2 / fan-in) of the paper's shapes: the computation at ")
                .append("AlexNet's scale. The paper's column is for the trained network, which this project does ")
                .append("not have, so the values are not expected to agree.\n\n");
        s.append("| layer | ours (random init) | paper (trained) |\n|---|---|---|\n");
        double[] paper = AlexNetShapes.paperBounds();
        for (int i = 0; i < c.alexNet().size(); i++) {
            SpectralBounds.Layer l = c.alexNet().get(i);
            s.append(String.format(Locale.ROOT, "| %s | %.3f | %s |%n", l.shape(), l.bound(),
                    i < paper.length ? String.format(Locale.ROOT, "%.2f", paper[i]) : ""));
        }
        return s.append('\n').toString();
    }

    private static String stages(ReproductionResult r) {
        StringBuilder s = new StringBuilder("## Wall time per stage\n\n| stage | seconds |\n|---|---|\n");
        double total = 0;
        for (Map.Entry<String, Double> e : r.stageSeconds.entrySet()) {
            s.append(String.format(Locale.ROOT, "| %s | %.1f |%n", e.getKey(), e.getValue()));
            total += e.getValue();
        }
        return s.append(String.format(Locale.ROOT, "| total | %.1f |%n", total)).toString();
    }

    private static Map<String, Object> results(ReproductionResult r) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("quick", r.options.quick());
        map.put("backend", r.backend);
        map.put("errors", r.errors);
        map.put("attacks", r.attacks);
        map.put("table2", r.table2.toMap());
        map.put("table4", r.table4.toMap());
        Map<String, Object> units = new LinkedHashMap<>();
        r.units.forEach((k, u) -> units.put(k, Map.of("units", u.units(), "unit_purity", u.unitPurity(),
                "random_purity", u.randomPurity(), "chance_purity", u.chancePurity())));
        map.put("units", units);
        map.put("adversarial_training", r.adversarialCurves);
        map.put("adversarial_training_recipe", r.adversarialRecipe);
        map.put("spectral", r.spectral);
        if (r.convSpectral != null) {
            map.put("spectral_conv", r.convSpectral);
        }
        map.put("stage_seconds", r.stageSeconds);
        return map;
    }

    /** Markdown to a small self-contained HTML page: tables, headings, paragraphs, inlined images. */
    static String html(String markdown, Path base) throws IOException {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Blindspot "
                + "reproduction</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
                + "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:3px 7px;text-align:right}"
                + "td:first-child{text-align:left}img{max-width:100%}</style></head><body>\n");
        Pattern image = Pattern.compile("!\\[([^]]*)]\\(([^)]+)\\)");
        boolean inTable = false;
        List<String> lines = markdown.lines().toList();
        for (String line : lines) {
            if (line.startsWith("|")) {
                if (line.startsWith("|---")) {
                    continue;
                }
                if (!inTable) {
                    h.append("<table>\n");
                    inTable = true;
                }
                h.append("<tr>");
                String[] cells = line.substring(1, line.length() - 1).split("\\|");
                for (String cell : cells) {
                    h.append("<td>").append(inline(cell.trim())).append("</td>");
                }
                h.append("</tr>\n");
                continue;
            }
            if (inTable) {
                h.append("</table>\n");
                inTable = false;
            }
            Matcher m = image.matcher(line);
            if (m.matches()) {
                Path file = base.resolve(m.group(2));
                String data = Files.exists(file) ? Base64.getEncoder().encodeToString(Files.readAllBytes(file)) : "";
                h.append("<p><img alt=\"").append(escape(m.group(1))).append("\" src=\"data:image/png;base64,")
                        .append(data).append("\"></p>\n");
            } else if (line.startsWith("### ")) {
                h.append("<h3>").append(escape(line.substring(4))).append("</h3>\n");
            } else if (line.startsWith("## ")) {
                h.append("<h2>").append(escape(line.substring(3))).append("</h2>\n");
            } else if (line.startsWith("# ")) {
                h.append("<h1>").append(escape(line.substring(2))).append("</h1>\n");
            } else if (!line.isBlank()) {
                h.append("<p>").append(inline(line)).append("</p>\n");
            }
        }
        if (inTable) {
            h.append("</table>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String inline(String text) {
        return escape(text).replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>").replaceAll("`([^`]+)`", "<code>$1</code>");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String relative(Path file, Path base) {
        return base.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString();
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String success(ReproductionResult r, String key) {
        Map<String, Object> s = r.attacks.get(key);
        return s == null ? "-" : pct(((Number) s.get("success_rate")).doubleValue());
    }

    private static String distortion(ReproductionResult r, String key) {
        Map<String, Object> s = r.attacks.get(key);
        Object v = s == null ? null : s.get("mean_rms_distortion");
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue());
    }
}
