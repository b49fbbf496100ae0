package org.blindspot.engine.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The architecture of a dense MNIST model: hidden sizes, hidden activation, per-layer weight decay,
 * and whether the first hidden layer is a sparse autoencoder trained without labels and then frozen.
 *
 * @param name         the zoo name, e.g. "fc100-100-10"
 * @param hidden       hidden layer sizes, input first (empty for a softmax on the pixels)
 * @param activation   the hidden layers' activation
 * @param weightDecay  lambda per layer (hidden layers, then the logits layer): length hidden.length + 1
 * @param autoencoder  true for AE400-10: layer 1 is a sparse autoencoder, frozen when the softmax is trained
 */
public record ModelSpec(String name, int[] hidden, Activation activation, double[] weightDecay,
                        boolean autoencoder) {

    private static final Pattern FC = Pattern.compile("fc(\\d+-)*10");

    public ModelSpec {
        hidden = hidden.clone();
        weightDecay = weightDecay.clone();
        if (weightDecay.length != hidden.length + 1) {
            throw new IllegalArgumentException("weightDecay: expected " + (hidden.length + 1)
                    + " values (one per layer), got " + weightDecay.length);
        }
        for (int h : hidden) {
            if (h <= 0) {
                throw new IllegalArgumentException("hidden: layer sizes must be positive, got " + Arrays.toString(hidden));
            }
        }
        if (autoencoder && hidden.length != 1) {
            throw new IllegalArgumentException("autoencoder: needs exactly one hidden layer");
        }
    }

    /**
     * A model of the paper's zoo by name ({@code fc10-1e-4}, {@code fc10-1e-2}, {@code fc10-1},
     * {@code fc100-100-10}, {@code fc200-200-10}, {@code fc123-456-10}, {@code ae400-10}), or any
     * {@code fc<h1>-<h2>-...-10} with the given hidden activation and the decays of FC100-100-10
     * (1e-5 per hidden layer, 1e-6 on the logits).
     */
    public static ModelSpec named(String name, Activation activation) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "fc10-1e-4":
                return new ModelSpec(key, new int[0], activation, new double[] {1e-4}, false);
            case "fc10-1e-2":
                return new ModelSpec(key, new int[0], activation, new double[] {1e-2}, false);
            case "fc10-1":
                return new ModelSpec(key, new int[0], activation, new double[] {1}, false);
            case "ae400-10":
                return new ModelSpec(key, new int[] {400}, Activation.SIGMOID, new double[] {0, 1e-6}, true);
            default:
                break;
        }
        if (!FC.matcher(key).matches() || key.equals("fc10")) {
            throw new IllegalArgumentException("model: unknown '" + name + "'; expected one of "
                    + String.join(", ", zooNames()) + ", or fc<h1>-<h2>-...-10");
        }
        String[] parts = key.substring(2).split("-");
        int[] hidden = new int[parts.length - 1];
        double[] decay = new double[parts.length];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = Integer.parseInt(parts[i]);
            decay[i] = 1e-5;
        }
        decay[hidden.length] = 1e-6;
        return new ModelSpec(key, hidden, activation, decay, false);
    }

    /** The names of the paper's zoo, in the order of Table 1 then Table 3. */
    public static String[] zooNames() {
        return new String[] {"fc10-1e-4", "fc10-1e-2", "fc10-1", "fc100-100-10", "fc200-200-10", "ae400-10",
                "fc123-456-10"};
    }

    /** Layer sizes from input to output, e.g. [784, 100, 100, 10]. */
    public int[] layerSizes(int inputs, int classes) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = classes;
        return sizes;
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    @Override
    public double[] weightDecay() {
        return weightDecay.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec s && s.name.equals(name) && Arrays.equals(s.hidden, hidden)
                && s.activation == activation && Arrays.equals(s.weightDecay, weightDecay)
                && s.autoencoder == autoencoder;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(hidden);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(hidden) + " " + activation.id() + " decay " + Arrays.toString(weightDecay)
                + (autoencoder ? " (sparse autoencoder layer)" : "");
    }
}
