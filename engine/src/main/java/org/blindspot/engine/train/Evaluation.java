package org.blindspot.engine.train;

import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.Predictions;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Error rates of a classifier on a labelled set, computed in chunks. */
public final class Evaluation {

    private static final int CHUNK = 2000;

    private Evaluation() {
    }

    /**
     * @param features [N, m] inputs in the classifier's data type
     * @param labels   N labels
     * @return the fraction of rows whose predicted label differs from the given one
     */
    public static double errorRate(Classifier model, INDArray features, int[] labels) {
        return Predictions.errorRate(predict(model, features), labels);
    }

    /** Predicted labels of [N, m] inputs. */
    public static int[] predict(Classifier model, INDArray features) {
        int n = (int) features.rows();
        int[] predicted = new int[n];
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            INDArray chunk = features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            int[] part = Predictions.argmax(model.logits(chunk));
            System.arraycopy(part, 0, predicted, from, part.length);
        }
        return predicted;
    }
}
