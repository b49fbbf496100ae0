package org.blindspot.engine.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.blindspot.engine.attack.AttackInput;
import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.attack.BoxConstrainedLbfgsAttack;
import org.blindspot.engine.io.Npy;
import org.blindspot.engine.io.NpyArray;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelFactory;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.model.ModelMetadata;
import org.blindspot.engine.model.ModelSpec;
import org.blindspot.engine.run.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** The HTTP service over loopback: a whole job, the refusals, the limits, the queue and cancellation. */
@Timeout(60)
class ServiceTest {

    private static final int INPUTS = 64;
    private static final String TOKEN = "s3cret";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;

    private static DenseNetwork network;
    private static Path modelDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private BlindspotServer server;
    private URI base;

    @BeforeAll
    static void saveModel() {
        ModelSpec spec = ModelSpec.named("fc16-10", Activation.SIGMOID);
        network = ModelFactory.initialise(spec, INPUTS, 10, 7, DataType.FLOAT);
        modelDir = dir.resolve("fc16-10");
        ModelFile.save(modelDir, network, new ModelMetadata(ModelMetadata.FORMAT, spec.name(), spec.hidden(),
                spec.activation().id(), spec.weightDecay(), false, INPUTS, 10, null, null, 7L, null, null, null,
                "CPU", "test", "2026-01-01T00:00:00Z"));
    }

    @BeforeEach
    void start() throws IOException {
        server = BlindspotServer.start(ServiceOptions.defaults().withPort(0).withToken(TOKEN).withQueue(2)
                .withMaxRequestBytes(1 << 20), "test backend");
        base = server.uri();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aJobRunsToTheEndAndGivesTheAttacksResults() throws Exception {
        JsonNode health = json(send("GET", "/v1/health", null, TOKEN), 200);
        assertEquals("ok", health.get("status").asText());
        assertEquals("test backend", health.get("backend").asText());
        JsonNode model = json(send("POST", "/v1/models", "{\"path\": " + quote(modelDir.toString()) + "}", TOKEN), 201);
        assertEquals("m1", model.get("id").asText());
        assertEquals(INPUTS, model.get("inputs").asInt());
        assertEquals(10, model.get("classes").asInt());
        assertEquals(1, json(send("GET", "/v1/models", null, TOKEN), 200).size());

        float[][] images = images(4, 11);
        int[] labels = {3, 1, 4, 1};
        Map<String, Object> options = Map.of("search_steps", 4, "max_iterations", 40, "batch", 3, "seed", 5);
        JsonNode submitted = json(send("POST", "/v1/jobs", body("m1", images, labels, "next", options), TOKEN), 202);
        assertEquals("queued", submitted.get("status").asText());
        String id = submitted.get("id").asText();
        JsonNode status = waitFor(id, "done");
        assertEquals(4, status.get("examples").asInt());
        assertEquals(4, status.get("finished").asInt());
        assertEquals(4, status.get("summary").get("examples").asInt());

        HttpResponse<byte[]> npy = send("GET", "/v1/jobs/" + id + "/adversarial.npy", null, TOKEN);
        assertEquals(200, npy.statusCode());
        NpyArray adversarial = Npy.read("adversarial.npy", new ByteArrayInputStream(npy.body()));
        assertArrayEquals(new long[] {4, INPUTS}, adversarial.shape());
        float[] pixels = adversarial.asFloats();
        for (float p : pixels) {
            assertTrue(p >= 0f && p <= 1f, "pixel " + p);
        }
        JsonNode records = json(send("GET", "/v1/jobs/" + id + "/records", null, TOKEN), 200);
        assertEquals(4, records.size());

        List<AttackInput> inputs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inputs.add(new AttackInput(i, images[i], labels[i], new int[] {(labels[i] + 1) % 10}));
        }
        List<AttackRecord> direct = new BoxConstrainedLbfgsAttack(network, AttackOptions.defaults().withSearchSteps(4)
                .withMaxIterations(40).withBatch(3)).run(inputs, r -> { });
        for (int i = 0; i < 4; i++) {
            JsonNode r = records.get(i);
            assertEquals(i, r.get("index").asInt());
            assertEquals(labels[i], r.get("true_label").asInt());
            assertEquals(direct.get(i).target(), r.get("target").asInt());
            assertEquals(direct.get(i).status().id(), r.get("status").asText());
            assertEquals(direct.get(i).rmsDistortion(), r.get("distortion").asDouble(), 1e-12, "as the attack run alone");
            for (int j = 0; j < INPUTS; j++) {
                assertEquals(direct.get(i).adversarial()[j], pixels[i * INPUTS + j]);
            }
        }
    }

    @Test
    void aJobsBoundsAreItsImagesRangeAndTheAttacksBox() throws Exception {
        json(send("POST", "/v1/models", "{\"path\": " + quote(modelDir.toString()) + "}", TOKEN), 201);
        float[][] images = images(2, 13);
        for (float[] image : images) {
            for (int j = 0; j < image.length; j++) {
                image[j] = 2 * image[j] - 1;
            }
        }
        Map<String, Object> options = Map.of("search_steps", 3, "max_iterations", 30, "history", "reset");
        JsonNode request = Json.LINES.readTree(body("m1", images, new int[] {2, 7}, "next", options));
        ((com.fasterxml.jackson.databind.node.ObjectNode) request).putArray("bounds").add(-1).add(1);
        String id = json(send("POST", "/v1/jobs", request.toString(), TOKEN), 202).get("id").asText();
        waitFor(id, "done");
        HttpResponse<byte[]> npy = send("GET", "/v1/jobs/" + id + "/adversarial.npy", null, TOKEN);
        for (float p : Npy.read("adversarial.npy", new ByteArrayInputStream(npy.body())).asFloats()) {
            assertTrue(p >= -1f && p <= 1f, "pixel " + p);
        }
        assertError(send("POST", "/v1/jobs", body("m1", images, new int[] {2, 7}, "next", options), TOKEN), 400,
                "pixels must be finite and in [0.0, 1.0]");
        ((com.fasterxml.jackson.databind.node.ObjectNode) request).putArray("bounds").add(1).add(-1);
        assertError(send("POST", "/v1/jobs", request.toString(), TOKEN), 400, "bounds: expected [lo, hi]");
    }

    @Test
    void modelFilesFromOtherToolsNeedNoActivation() throws Exception {
        Path onnx = Path.of(ServiceTest.class.getResource("/onnx/relu_gemm.onnx").toURI());
        JsonNode model = json(send("POST", "/v1/models", "{\"path\": " + quote(onnx.toString()) + "}", TOKEN), 201);
        assertEquals(12, model.get("inputs").asInt());
        assertEquals("per layer (from the file)", model.get("activation").asText());
    }

    @Test
    void badRequestsGetOneClearError() throws Exception {
        json(send("POST", "/v1/models", "{\"path\": " + quote(modelDir.toString()) + "}", TOKEN), 201);
        float[][] images = images(3, 2);
        int[] labels = {0, 1, 2};
        assertError(send("POST", "/v1/jobs", "{\"model\": \"m1\", ", TOKEN), 400, "malformed JSON");
        assertError(send("POST", "/v1/jobs", "[1, 2]", TOKEN), 400, "expected a JSON object");
        assertError(send("POST", "/v1/jobs", "{\"model\": \"m1\"}", TOKEN), 400, "images_npy_b64: required");
        assertError(send("POST", "/v1/jobs", body("m9", images, labels, "next", Map.of()), TOKEN), 404, "no model 'm9'");
        assertError(send("POST", "/v1/jobs", body("m1", images(3, 2, INPUTS + 1), labels, "next", Map.of()), TOKEN),
                400, "takes 64 inputs");
        float[][] outside = images(3, 2);
        outside[1][5] = 1.5f;
        assertError(send("POST", "/v1/jobs", body("m1", outside, labels, "next", Map.of()), TOKEN), 400,
                "image 1, pixel 5 is 1.5");
        assertError(send("POST", "/v1/jobs", body("m1", images, new int[] {0, 10, 2}, "next", Map.of()), TOKEN), 400,
                "label 1 is 10");
        assertError(send("POST", "/v1/jobs", body("m1", images, new int[] {0, 1}, "next", Map.of()), TOKEN), 400,
                "labels_npy_b64: shape [2]");
        assertError(send("POST", "/v1/jobs", body("m1", images, labels, "sideways", Map.of()), TOKEN), 400,
                "target: unknown 'sideways'");
        assertError(send("POST", "/v1/jobs", body("m1", images, labels, "next", Map.of("batch", 0)), TOKEN), 400,
                "options.batch: expected an integer >= 1");
        assertError(send("POST", "/v1/jobs", body("m1", images, labels, "next", Map.of("bach", 2)), TOKEN), 400,
                "options: unknown 'bach'");
        assertError(send("POST", "/v1/jobs", body("m1", images, labels, "next", Map.of("c_search", "golden")), TOKEN),
                400, "expected extrapolation, interpolation or bisection");
        assertError(send("POST", "/v1/jobs", body("m1", images, labels, "next", Map.of("history", "forget")), TOKEN),
                400, "options: history: expected keep or reset, got 'forget'");
        String notNpy = "{\"model\": \"m1\", \"images_npy_b64\": \"aGVsbG8=\", \"labels_npy_b64\": \"aGVsbG8=\"}";
        assertError(send("POST", "/v1/jobs", notNpy, TOKEN), 400, "images_npy_b64: not an NPY file");
        assertError(send("POST", "/v1/models", "{\"path\": \"relative/model\"}", TOKEN), 400, "path: must be absolute");
        assertError(send("POST", "/v1/models", "{\"path\": " + quote(dir.resolve("none").toString()) + "}", TOKEN),
                400, "no such model file or folder");
        assertError(send("GET", "/v1/jobs/j42", null, TOKEN), 404, "no job 'j42'");
        assertError(send("GET", "/v1/nothing", null, TOKEN), 404, "no endpoint GET /v1/nothing");
        HttpResponse<byte[]> wrongMethod = send("PUT", "/v1/health", "{}", TOKEN);
        assertError(wrongMethod, 405, "PUT is not allowed");
        assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElse(""));
        assertError(send("GET", "/v1/health", null, null), 401, "missing 'Authorization");
        assertError(send("GET", "/v1/health", null, "guess"), 401, "wrong token");
        assertEquals("ok", json(send("GET", "/v1/health", null, TOKEN), 200).get("status").asText(),
                "the server goes on after refusals");
    }

    @Test
    void anOversizedBodyIsRefusedFromItsContentLength() throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (50L << 20) + "\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readResponse(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("exceeds the limit of 1048576 bytes"), answer);
        }
    }

    /** The status line, headers and body of one response; the connection stays open (the body was never sent). */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void queuedJobsCanBeCancelledAndARunningJobStops() throws Exception {
        json(send("POST", "/v1/models", "{\"path\": " + quote(modelDir.toString()) + "}", TOKEN), 201);
        int[] labels = new int[1500];
        Arrays.setAll(labels, i -> i % 10);
        String longJob = body("m1", images(labels.length, 3), labels, "closest", Map.of("max_iterations", 100));
        String running = json(send("POST", "/v1/jobs", longJob, TOKEN), 202).get("id").asText();
        String small = body("m1", images(2, 4), new int[] {0, 1}, "next", Map.of());
        String queued = json(send("POST", "/v1/jobs", small, TOKEN), 202).get("id").asText();
        String second = json(send("POST", "/v1/jobs", small, TOKEN), 202).get("id").asText();
        waitFor(running, "running");
        assertError(send("POST", "/v1/jobs", small, TOKEN), 429, "the queue is full");

        JsonNode cancelled = json(send("DELETE", "/v1/jobs/" + queued, null, TOKEN), 200);
        assertEquals("cancelled", cancelled.get("status").asText());
        assertError(send("GET", "/v1/jobs/" + queued + "/adversarial.npy", null, TOKEN), 409, "is cancelled");
        assertEquals("queued", json(send("GET", "/v1/jobs/" + second, null, TOKEN), 200).get("status").asText());

        JsonNode stopping = json(send("DELETE", "/v1/jobs/" + running, null, TOKEN), 202);
        assertTrue(stopping.get("cancel_requested").asBoolean());
        JsonNode stopped = waitFor(running, "cancelled");
        assertTrue(stopped.get("finished").asInt() < labels.length, "stopped before the end");
        waitFor(second, "done");
        assertEquals("cancelled", json(send("GET", "/v1/jobs/" + queued, null, TOKEN), 200).get("status").asText(),
                "a cancelled queued job never starts");
        assertEquals(3, json(send("GET", "/v1/jobs", null, TOKEN), 200).size());
    }

    private JsonNode waitFor(String id, String wanted) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonNode status = json(send("GET", "/v1/jobs/" + id, null, TOKEN), 200);
            String now = status.get("status").asText();
            if (now.equals(wanted)) {
                return status;
            }
            if (System.nanoTime() > deadline || (!now.equals("queued") && !now.equals("running"))) {
                throw new AssertionError("job " + id + " is " + now + ", expected " + wanted + ": " + status);
            }
            Thread.sleep(50);
        }
    }

    private HttpResponse<byte[]> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> response, int status) throws IOException {
        JsonNode node = Json.LINES.readTree(response.body());
        assertEquals(status, response.statusCode(), node.toString());
        return node;
    }

    private static void assertError(HttpResponse<byte[]> response, int status, String fragment) throws IOException {
        JsonNode node = json(response, status);
        String message = node.get("error").asText();
        assertTrue(message.contains(fragment), "'" + message + "' should contain '" + fragment + "'");
    }

    private static float[][] images(int count, long seed) {
        return images(count, seed, INPUTS);
    }

    private static float[][] images(int count, long seed, int size) {
        Random random = new Random(seed);
        float[][] images = new float[count][size];
        for (float[] image : images) {
            for (int j = 0; j < size; j++) {
                image[j] = random.nextFloat();
            }
        }
        return images;
    }

    private static String body(String model, float[][] images, int[] labels, String target, Map<String, Object> options)
            throws IOException {
        float[] flat = new float[images.length * images[0].length];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(images[i], 0, flat, i * images[0].length, images[0].length);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("model", model);
        map.put("images_npy_b64", base64(NpyArray.ofFloats(flat, images.length, images[0].length)));
        map.put("labels_npy_b64", base64(NpyArray.ofLongs(Arrays.stream(labels).asLongStream().toArray(),
                labels.length)));
        map.put("target", target);
        map.put("options", options);
        return Json.LINES.writeValueAsString(map);
    }

    private static String base64(NpyArray array) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, array);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static String quote(String text) throws IOException {
        return Json.LINES.writeValueAsString(text);
    }
}
