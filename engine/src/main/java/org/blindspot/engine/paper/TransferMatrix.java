package org.blindspot.engine.paper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.Predictions;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Tables 2 and 4: the error rate of each model (columns) on each set of perturbed images (rows),
 * counted against the images' true labels.
 */
public final class TransferMatrix {

    private final List<String> rows = new ArrayList<>();
    private final List<String> columns = new ArrayList<>();
    private final double[][] errors;
    private final double[] distortions;

    private TransferMatrix(List<AdversarialSet> sets, Map<String, Classifier> models) {
        columns.addAll(models.keySet());
        errors = new double[sets.size()][columns.size()];
        distortions = new double[sets.size()];
        for (int r = 0; r < sets.size(); r++) {
            AdversarialSet set = sets.get(r);
            rows.add(set.name());
            distortions[r] = set.meanDistortion();
            for (int c = 0; c < columns.size(); c++) {
                errors[r][c] = errorRate(models.get(columns.get(c)), set);
            }
        }
    }

    /** Computes the matrix. */
    public static TransferMatrix compute(List<AdversarialSet> sets, Map<String, Classifier> models) {
        return new TransferMatrix(sets, new LinkedHashMap<>(models));
    }

    /** Fraction of the set's images the model misclassifies (NaN for an empty set). */
    public static double errorRate(Classifier model, AdversarialSet set) {
        if (set.images().isEmpty()) {
            return Double.NaN;
        }
        INDArray x = Nd4j.create(set.images().toArray(new float[0][])).castTo(model.dataType());
        int[] predicted = Predictions.argmax(model.logits(x));
        return Predictions.errorRate(predicted, set.labels());
    }

    public List<String> rows() {
        return rows;
    }

    public List<String> columns() {
        return columns;
    }

    /** Error of column model {@code c} on row set {@code r}. */
    public double error(int r, int c) {
        return errors[r][c];
    }

    /** Mean RMS distortion of row {@code r}. */
    public double distortion(int r) {
        return distortions[r];
    }

    /** As a JSON-ready map: rows, columns, errors, distortions. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rows", rows);
        map.put("columns", columns);
        map.put("errors", errors);
        map.put("distortions", distortions);
        return map;
    }

}
