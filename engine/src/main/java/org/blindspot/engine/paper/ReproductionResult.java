package org.blindspot.engine.paper;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Everything the report shows, gathered by {@link Reproduction}. */
public final class ReproductionResult {

    final ReproductionOptions options;
    final String backend;
    /** Per model id: {train error, test error}. */
    final Map<String, double[]> errors = new LinkedHashMap<>();
    /** Per "model/target": the attack's summary. */
    final Map<String, Map<String, Object>> attacks = new LinkedHashMap<>();
    /** Per "model/target": the RMS distortions of the successful examples. */
    final Map<String, double[]> distortions = new LinkedHashMap<>();
    /** Per model id: the grid of its next-label attack. */
    final Map<String, Path> grids = new LinkedHashMap<>();
    final Map<String, Double> stageSeconds = new LinkedHashMap<>();
    /** Section 3, per "model layer L". */
    final Map<String, UnitAnalysis.Result> units = new LinkedHashMap<>();
    /** Section 4.2's adversarial training: test error per epoch, by curve name. */
    final Map<String, java.util.List<Double>> adversarialCurves = new LinkedHashMap<>();
    /** Section 4.2's recipe in words ({@code AdversarialTrainer.Settings#describe}). */
    String adversarialRecipe;
    /** Section 4.3, per model id. */
    final Map<String, java.util.List<SpectralBounds.Layer>> spectral = new LinkedHashMap<>();
    /** Section 4.3 on convolutions: the small conv net and AlexNet's shapes. */
    ConvSpectral convSpectral;
    TransferMatrix table2;
    TransferMatrix table4;

    ReproductionResult(ReproductionOptions options, String backend) {
        this.options = options;
        this.backend = backend;
    }

    /** Table 2 (transfer between the Table 1 models). */
    public TransferMatrix table2() {
        return table2;
    }

    /** Table 4 (transfer between the cross-training-set models). */
    public TransferMatrix table4() {
        return table4;
    }

    /** Per model id: {train error, test error}. */
    public Map<String, double[]> errors() {
        return errors;
    }

    /** Per "model/target": the attack's summary. */
    public Map<String, Map<String, Object>> attacks() {
        return attacks;
    }
}
