package org.blindspot.engine.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.attack.CSearch;
import org.blindspot.engine.attack.Penalty;
import org.blindspot.engine.attack.TargetRule;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.io.BadDataException;
import org.blindspot.engine.io.Npy;
import org.blindspot.engine.io.NpyArray;
import org.blindspot.engine.io.NpyDtype;
import org.blindspot.engine.run.AttackJob;
import org.blindspot.engine.run.Json;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A checked {@code POST /v1/jobs} body: the model, the images and labels decoded from base64 NPY,
 * the target rule and the attack options. Every check that the command line makes on its inputs is
 * made here, before the job is queued, so that a bad request fails with 400 and one message that
 * names the field.
 *
 * @param model the model to attack
 * @param data  the images ([N, inputs], in [0, 1]) and labels (in 0..classes-1)
 * @param spec  the attack, as {@link AttackJob} takes it: every image, in order, with the rule and options
 */
record JobRequest(ModelRegistry.Entry model, Dataset data, AttackJob.Spec spec) {

    private static final Set<String> FIELDS = Set.of("model", "images_npy_b64", "labels_npy_b64", "target", "bounds",
            "options");
    private static final Set<String> OPTIONS = Set.of("search_steps", "c_init", "c_factor", "c_tolerance", "c_search", "batch",
            "max_iterations", "margin", "penalty", "precision", "history", "seed");

    /**
     * Parses and checks a request body.
     *
     * @param threads solver threads of the job
     * @throws ApiException 400 (or 404 for an unknown model, 413 beyond {@code maxImages}) with one message
     */
    static JobRequest parse(byte[] body, ModelRegistry models, int maxImages, int threads) {
        JsonNode root = object(body);
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("unknown field '" + name + "'; expected " + String.join(", ", FIELDS));
            }
        }
        ModelRegistry.Entry model = models.get(text(root, "model", null));
        int inputs = model.classifier().inputSize();
        int classes = model.classifier().numClasses();
        NpyArray images = npy(root, "images_npy_b64");
        NpyArray labels = npy(root, "labels_npy_b64");
        long[] shape = images.shape();
        long perImage = shape.length < 2 ? -1 : Arrays.stream(shape, 1, shape.length).reduce(1, (a, b) -> a * b);
        if (perImage != inputs) {
            throw ApiException.badRequest("images_npy_b64: shape " + Arrays.toString(shape) + " does not fit model "
                    + model.id() + ", which takes " + inputs + " inputs; expected [N, " + inputs + "]");
        }
        int count = (int) shape[0];
        if (count == 0) {
            throw ApiException.badRequest("images_npy_b64: no images (shape " + Arrays.toString(shape) + ")");
        }
        if (count > maxImages) {
            throw new ApiException(413, "images_npy_b64: " + count + " images; a job takes at most " + maxImages
                    + " (--max-images)");
        }
        if (images.dtype() != NpyDtype.FLOAT32 && images.dtype() != NpyDtype.FLOAT64) {
            throw ApiException.badRequest("images_npy_b64: dtype " + images.dtype()
                    + "; expected float32 or float64 pixels");
        }
        float[] box = bounds(root.get("bounds"));
        float[] pixels = pixels(images, inputs, box);
        int[] values = labels(labels, count, classes);
        TargetRule rule = rule(root, classes);
        JsonNode options = root.get("options");
        if (options != null && !options.isNull() && !options.isObject()) {
            throw ApiException.badRequest("options: expected a JSON object, got " + options.getNodeType());
        }
        long seed = options == null || options.get("seed") == null ? 1 : integer(options, "seed", Long.MIN_VALUE);
        AttackOptions attack = attackOptions(options, threads);
        int[] candidates = new int[count];
        Arrays.setAll(candidates, i -> i);
        Map<String, Object> describe = new LinkedHashMap<>();
        describe.put("model", model.path());
        describe.put("model_name", model.name());
        describe.put("model_id", model.id());
        describe.put("images", count);
        AttackJob.Spec spec = new AttackJob.Spec(candidates, count, false, rule, Double.NaN, seed, attack, describe);
        if (box[0] != 0f || box[1] != 1f) {
            describe.put("bounds", List.of(box[0], box[1]));
        }
        return new JobRequest(model, Dataset.of("request", 1, inputs, pixels, values, box[0], box[1]), spec);
    }

    /** The body as a JSON object. */
    static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = Json.LINES.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("expected a JSON object, got " + (root == null ? "nothing" : root.getNodeType()));
        }
        return root;
    }

    /** A string field; {@code fallback} when absent, or 400 when absent and {@code fallback} is null. */
    static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                throw ApiException.badRequest(field + ": required");
            }
            return fallback;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(field + ": expected a string, got " + value.getNodeType());
        }
        return value.asText();
    }

    private static NpyArray npy(JsonNode root, String field) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text(root, field, null));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + ": not base64 (" + e.getMessage() + ")");
        }
        try {
            return Npy.read(field, new ByteArrayInputStream(bytes), bytes.length);
        } catch (BadDataException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The optional {@code "bounds": [lo, hi]} (the images' value range and the attack's box); [0, 1] if absent. */
    private static float[] bounds(JsonNode node) {
        if (node == null || node.isNull()) {
            return new float[] {0f, 1f};
        }
        if (node.isArray() && node.size() == 2 && node.get(0).isNumber() && node.get(1).isNumber()) {
            float lo = (float) node.get(0).asDouble();
            float hi = (float) node.get(1).asDouble();
            if (Float.isFinite(lo) && Float.isFinite(hi) && lo < hi) {
                return new float[] {lo, hi};
            }
        }
        throw ApiException.badRequest("bounds: expected [lo, hi], two finite numbers with lo < hi, got " + node);
    }

    private static float[] pixels(NpyArray images, int inputs, float[] box) {
        float[] pixels = images.asFloats();
        for (int i = 0; i < pixels.length; i++) {
            if (!(pixels[i] >= box[0] && pixels[i] <= box[1])) {
                throw ApiException.badRequest("images_npy_b64: image " + (i / inputs) + ", pixel " + (i % inputs)
                        + " is " + pixels[i] + "; pixels must be finite and in [" + box[0] + ", " + box[1] + "]");
            }
        }
        return pixels;
    }

    private static int[] labels(NpyArray labels, int count, int classes) {
        if (labels.rank() != 1 || labels.shape()[0] != count) {
            throw ApiException.badRequest("labels_npy_b64: shape " + Arrays.toString(labels.shape()) + "; expected ["
                    + count + "], one label per image");
        }
        int[] values;
        try {
            values = labels.asInts();
        } catch (RuntimeException e) {
            throw ApiException.badRequest("labels_npy_b64: labels must be integers, got " + labels.dtype());
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= Math.min(classes, Dataset.CLASSES)) {
                throw ApiException.badRequest("labels_npy_b64: label " + i + " is " + values[i] + "; expected 0.."
                        + (Math.min(classes, Dataset.CLASSES) - 1));
            }
        }
        return values;
    }

    private static TargetRule rule(JsonNode root, int classes) {
        JsonNode value = root.get("target");
        String text;
        if (value == null || value.isNull()) {
            text = "next";
        } else if (value.isIntegralNumber() || value.isTextual()) {
            text = value.asText();
        } else {
            throw ApiException.badRequest("target: expected a label or next, random, least-likely or closest, got "
                    + value.getNodeType());
        }
        TargetRule rule;
        try {
            rule = TargetRule.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (rule.kind() == TargetRule.Kind.LABEL && Integer.parseInt(rule.toString()) >= classes) {
            throw ApiException.badRequest("target: label " + rule + " is out of range 0.." + (classes - 1));
        }
        return rule;
    }

    private static AttackOptions attackOptions(JsonNode options, int threads) {
        AttackOptions o = AttackOptions.defaults().withThreads(threads);
        if (options == null || options.isNull()) {
            return o;
        }
        for (Iterator<String> names = options.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!OPTIONS.contains(name)) {
                throw ApiException.badRequest("options: unknown '" + name + "'; expected " + String.join(", ", OPTIONS));
            }
        }
        try {
            if (options.has("search_steps")) {
                o = o.withSearchSteps((int) integer(options, "search_steps", 1));
            }
            if (options.has("c_init")) {
                o = o.withInitialC(number(options, "c_init"));
            }
            if (options.has("c_tolerance")) {
                o = o.withCTolerance(number(options, "c_tolerance"));
            }
            if (options.has("c_factor")) {
                o = o.withSearchFactor(number(options, "c_factor"));
            }
            if (options.has("c_search")) {
                o = o.withCSearch(CSearch.parse(text(options, "c_search", null)));
            }
            if (options.has("batch")) {
                o = o.withBatch((int) integer(options, "batch", 1));
            }
            if (options.has("max_iterations")) {
                o = o.withMaxIterations((int) integer(options, "max_iterations", 1));
            }
            if (options.has("margin")) {
                o = o.withMargin(number(options, "margin"));
            }
            if (options.has("penalty")) {
                o = o.withPenalty(Penalty.parse(text(options, "penalty", null)));
            }
            if (options.has("history")) {
                o = o.withKeepHistory(AttackOptions.parseHistory(text(options, "history", null)));
            }
            if (options.has("precision")) {
                String precision = text(options, "precision", null);
                o = o.withPrecision(switch (precision.toLowerCase(Locale.ROOT)) {
                    case "float32" -> DataType.FLOAT;
                    case "float64" -> DataType.DOUBLE;
                    default -> throw ApiException.badRequest("options.precision: expected float32 or float64, got '"
                            + precision + "'");
                });
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("options: " + e.getMessage());
        }
        return o;
    }

    private static long integer(JsonNode node, String field, long minimum) {
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < minimum
                || (minimum > Long.MIN_VALUE && value.asLong() > Integer.MAX_VALUE)) {
            throw ApiException.badRequest("options." + field + ": expected an integer"
                    + (minimum > Long.MIN_VALUE ? " >= " + minimum : "") + ", got " + value);
        }
        return value.asLong();
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isNumber()) {
            throw ApiException.badRequest("options." + field + ": expected a number, got " + value);
        }
        return value.asDouble();
    }
}
