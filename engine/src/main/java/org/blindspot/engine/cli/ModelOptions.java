package org.blindspot.engine.cli;

import java.nio.file.Path;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.ModelFile;
import picocli.CommandLine.Option;

/** The model a command works on: a folder made by {@code train}, or a dense NPZ. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "PATH",
            description = "A model folder made by 'train', or a dense NPZ (W1, b1, ..., Wk, bk; W_i [in, out]).")
    Path model;

    @Option(names = "--activation", defaultValue = "sigmoid",
            description = "Hidden activation of a bare NPZ model: sigmoid, relu, tanh (default: ${DEFAULT-VALUE}).")
    String activation;

    /** Loads the model, checking it takes {@code inputs} features (0: any). */
    ModelFile.Loaded load(int inputs) {
        return ModelFile.load(model, Activation.parse(activation), inputs);
    }

    /** A short name for reports: the metadata's name or the file name. */
    static String name(ModelFile.Loaded loaded) {
        return loaded.metadata() != null ? loaded.metadata().name() : loaded.source().getFileName().toString();
    }
}
