package org.blindspot.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Split;
import org.blindspot.engine.io.AtomicFiles;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.paper.UnitAnalysis;
import org.blindspot.engine.paper.UnitGrids;
import org.blindspot.engine.run.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code blindspot units}: section 3, units of a hidden layer against random directions. */
@Command(name = "units", mixinStandardHelpOptions = true,
        header = "Section 3: top test images of single units against random directions.",
        description = {"Section 3: the test images that maximise single hidden units against those that maximise",
                "random directions of the same layer, as image grids, with the label purity of each."})
final class UnitsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Option(names = "--layer", defaultValue = "1", description = "Hidden layer, 1-based (default: ${DEFAULT-VALUE}).")
    int layer;

    @Option(names = "--top", defaultValue = "8", description = "Images per direction (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--show", defaultValue = "6", description = "Directions drawn in the grids (default: ${DEFAULT-VALUE}).")
    int show;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random directions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Dataset test = data.load(Split.TEST);
        ModelFile.Loaded loaded = model.load(test.inputSize());
        UnitAnalysis.Result result = UnitAnalysis.analyse(loaded.network("units"), layer, test, top, seed);
        Files.createDirectories(out);
        String name = ModelOptions.name(loaded) + "-layer" + layer;
        UnitGrids.write(out, name, result, test, show);
        byte[] json = Json.PRETTY.writeValueAsBytes(Map.of("model", ModelOptions.name(loaded), "layer", layer,
                "units", result.units(), "top", top, "unit_purity", result.unitPurity(),
                "random_purity", result.randomPurity(), "chance_purity", result.chancePurity()));
        AtomicFiles.write(out.resolve(name + "-units.json"), o -> o.write(json));
        System.out.printf(Locale.ROOT, "%s layer %d (%d units), top %d test images per direction:%n",
                ModelOptions.name(loaded), layer, result.units(), top);
        System.out.printf(Locale.ROOT, "label purity: unit directions %.3f, random directions %.3f, random images %.3f%n",
                result.unitPurity(), result.randomPurity(), result.chancePurity());
        System.out.println("grids: " + out.resolve(name + "-units.png") + ", " + out.resolve(name + "-random.png"));
        return 0;
    }
}
