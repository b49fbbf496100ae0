package org.blindspot.engine.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Split;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.Dl4jClassifier;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.paper.AlexNetShapes;
import org.blindspot.engine.paper.NetworkBounds;
import org.blindspot.engine.paper.SmallConvNet;
import org.blindspot.engine.paper.SpectralBounds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code blindspot spectral}: section 4.3, per-layer Lipschitz upper bounds of a model. */
@Command(name = "spectral", mixinStandardHelpOptions = true,
        header = "Section 4.3: per-layer Lipschitz upper bounds and their product.",
        description = {"Section 4.3: the Lipschitz upper bound of every layer (largest singular value of W times",
                "the activation's slope: 1/4 for sigmoid; DFT bound for convolutions) and their product, for a",
                "model file (--model), the small conv net trained on MNIST here (--conv-net), or AlexNet's layer",
                "shapes at He initialisation (--alexnet)."})
final class SpectralCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    DataOptions data;

    @Option(names = "--model", paramLabel = "PATH",
            description = "A model folder, dense NPZ, or ONNX, Keras (.h5) or DL4J (.zip) file of a dense network.")
    Path model;

    @Option(names = "--activation", defaultValue = "sigmoid",
            description = "Hidden activation of a bare NPZ model (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--conv-net", description = "Train the small conv net (5x5 conv, max-pool, dense) on MNIST for "
            + "--epochs epochs and bound its layers.")
    boolean convNet;

    @Option(names = "--epochs", defaultValue = "2", description = "Epochs of --conv-net (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--alexnet", description = "Bound AlexNet's layer shapes with He-initialised weights (about a "
            + "minute).")
    boolean alexNet;

    @Override
    public Integer call() {
        int chosen = (model != null ? 1 : 0) + (convNet ? 1 : 0) + (alexNet ? 1 : 0);
        if (chosen != 1) {
            throw new IllegalArgumentException("give exactly one of --model, --conv-net and --alexnet");
        }
        List<SpectralBounds.Layer> layers;
        if (model != null) {
            ModelFile.Loaded loaded = ModelFile.load(model, Activation.parse(activation), 0);
            ModelOptions.printNotes(loaded);
            layers = loaded.classifier() instanceof Dl4jClassifier dl4j ? NetworkBounds.of(dl4j, 1)
                    : SpectralBounds.of(loaded.network("spectral"), 1);
        } else if (convNet) {
            layers = convNetBounds();
        } else {
            System.err.println("AlexNet's layer shapes, He-initialised (the paper's values are for the trained net)");
            layers = AlexNetShapes.bounds(1, layer -> System.err.printf(Locale.ROOT, "  %s: %.3f%n", layer.shape(),
                    layer.bound()));
        }
        System.out.println("| layer | shape | operator norm | activation slope | upper bound |");
        System.out.println("|---|---|---|---|---|");
        for (SpectralBounds.Layer l : layers) {
            System.out.printf(Locale.ROOT, "| %d | %s | %.3f | %.2f | %.3f |%n", l.layer(), l.shape(), l.operator(),
                    l.activation(), l.bound());
        }
        System.out.printf(Locale.ROOT, "network bound (product): %.3f%n", SpectralBounds.product(layers));
        return 0;
    }

    private List<SpectralBounds.Layer> convNetBounds() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs: must be >= 1, got " + epochs);
        }
        Dataset train = data.load(Split.TRAIN);
        Dataset test = data.load(Split.TEST);
        long steps = SmallConvNet.steps(train.count(), epochs);
        SmallConvNet.Trained trained;
        try (ProgressBar bar = new ProgressBar("conv net")) {
            trained = SmallConvNet.train(train, test, epochs, 1, (done, loss) -> bar.update(done, steps,
                    String.format(Locale.ROOT, "loss %.4f", loss)));
        }
        double valid = SmallConvNet.validConvolutionNorm(trained.network(), test.height(), 1);
        System.err.printf(Locale.ROOT, "conv net: test error %.2f%%; the valid convolution's own norm (power "
                + "iteration): %.3f%n", 100 * trained.testError(), valid);
        return SmallConvNet.bounds(trained.network(), test.height(), 1);
    }
}
