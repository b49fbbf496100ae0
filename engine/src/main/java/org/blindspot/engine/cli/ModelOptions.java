package org.blindspot.engine.cli;

import java.nio.file.Path;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.ModelFile;
import picocli.CommandLine.Option;

/** The model a command works on: a folder made by {@code train}, a dense NPZ, or an ONNX file. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "PATH",
            description = "A model folder made by 'train', a dense NPZ (W1, b1, ..., Wk, bk; W_i [in, out]), or an"
                    + " ONNX file of a fully connected network (e.g. from torch.onnx.export: Gemm/MatMul+Add layers"
                    + " with Relu, Sigmoid or Tanh; a final Softmax is dropped), a Keras 2 HDF5 file (.h5) or a"
                    + " DL4J model zip (.zip) of Dense layers.")
    Path model;

    @Option(names = "--activation", defaultValue = "sigmoid",
            description = "Hidden activation of a bare NPZ model: sigmoid, relu, tanh (default: ${DEFAULT-VALUE});"
                    + " model folders, ONNX, Keras and DL4J files carry their own.")
    String activation;

    /**
     * Loads the model, checking it takes {@code inputs} features (0: any); prints the loader's notes
     * (an ONNX model's final Softmax removed, say) on standard error.
     */
    ModelFile.Loaded load(int inputs) {
        ModelFile.Loaded loaded = ModelFile.load(model, Activation.parse(activation), inputs);
        printNotes(loaded);
        return loaded;
    }

    /** Prints what the loader changed (an ONNX model's final Softmax removed, say) on standard error. */
    static void printNotes(ModelFile.Loaded loaded) {
        for (String note : loaded.notes()) {
            System.err.println("note: " + loaded.source().getFileName() + ": " + note);
        }
    }

    /** A short name for reports: the metadata's name or the file name. */
    static String name(ModelFile.Loaded loaded) {
        return loaded.metadata() != null ? loaded.metadata().name() : loaded.source().getFileName().toString();
    }
}
