package org.blindspot.engine.service;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.ModelFile;

/** The models loaded into the service, by id ({@code m1}, {@code m2}, ...). Thread-safe. */
final class ModelRegistry {

    /**
     * A loaded model.
     *
     * @param id         its id in the service
     * @param classifier the float32 classifier (a dense network, or a convolutional Keras or DL4J model)
     * @param path       the folder or NPZ it came from
     * @param name       its architecture name (model.json), or the file name of a bare NPZ
     * @param activation hidden activation id
     */
    record Entry(String id, Classifier classifier, String path, String name, String activation) {

        /** {@code {"id", "path", "name", "activation", "inputs", "classes"}}. */
        Map<String, Object> toJson() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("id", id);
            map.put("path", path);
            map.put("name", name);
            map.put("activation", activation);
            map.put("inputs", classifier.inputSize());
            map.put("classes", classifier.numClasses());
            return map;
        }
    }

    private final Map<String, Entry> models = new LinkedHashMap<>();
    private int loaded;

    /**
     * Loads a model folder (model.npz + model.json), an ONNX, Keras (.h5) or DL4J (.zip) file, or a bare NPZ with
     * the given hidden activation.
     *
     * @param activation hidden activation; required for a bare NPZ, ignored otherwise (the model says)
     * @throws ApiException 400 when the path or the files are wrong
     */
    Entry load(String path, String activation) {
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            throw ApiException.badRequest("path: not a valid path: " + e.getMessage());
        }
        if (!file.isAbsolute()) {
            throw ApiException.badRequest("path: must be absolute (the server's working directory is not the "
                    + "caller's), got '" + path + "'");
        }
        if (Files.isRegularFile(file) && !ModelFile.carriesActivations(file) && activation == null) {
            throw ApiException.badRequest("activation: required for a bare .npz model (sigmoid, relu, tanh or "
                    + "identity)");
        }
        Activation hidden;
        try {
            hidden = Activation.parse(activation == null ? "sigmoid" : activation);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ModelFile.Loaded model;
        try {
            model = ModelFile.load(file, hidden, 0);
        } catch (BadDataException | UncheckedIOException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String name = model.metadata() != null ? model.metadata().name() : file.getFileName().toString();
        String act = model.metadata() != null ? model.metadata().activation()
                : ModelFile.carriesActivations(file) ? "per layer (from the file)" : hidden.id();
        synchronized (this) {
            Entry entry = new Entry("m" + (++loaded), model.classifier(), file.toString(), name, act);
            models.put(entry.id(), entry);
            return entry;
        }
    }

    /** @throws ApiException 404 for an unknown id */
    synchronized Entry get(String id) {
        Entry entry = models.get(id);
        if (entry == null) {
            throw ApiException.notFound("no model '" + id + "'" + (models.isEmpty() ? "; none is loaded (POST /v1/models)"
                    : "; loaded: " + String.join(", ", models.keySet())));
        }
        return entry;
    }

    /** Every model, in loading order. */
    synchronized List<Entry> list() {
        return new ArrayList<>(models.values());
    }
}
