package org.blindspot.engine.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.paper.SpectralBounds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code blindspot spectral}: section 4.3, per-layer Lipschitz upper bounds of a model. */
@Command(name = "spectral", mixinStandardHelpOptions = true,
        description = {"Section 4.3: the Lipschitz upper bound of every layer (largest singular value of W times",
                "the activation's slope: 1/4 for sigmoid) and their product, for a model file."})
final class SpectralCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() {
        ModelFile.Loaded loaded = model.load(0);
        List<SpectralBounds.Layer> layers = SpectralBounds.of(loaded.network(), 1);
        System.out.println("| layer | shape | ||W|| | activation slope | upper bound |");
        System.out.println("|---|---|---|---|---|");
        for (SpectralBounds.Layer l : layers) {
            System.out.printf(Locale.ROOT, "| %d | %s | %.3f | %.2f | %.3f |%n", l.layer(), l.shape(), l.operator(),
                    l.activation(), l.bound());
        }
        System.out.printf(Locale.ROOT, "network bound (product): %.3f%n", SpectralBounds.product(layers));
        return 0;
    }
}
