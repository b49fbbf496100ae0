package org.blindspot.engine.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blindspot.engine.run.AttackJob;
import org.blindspot.engine.testing.TestData;
import org.blindspot.engine.train.AdversarialTrainer;
import org.blindspot.engine.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproduction end to end on small subsets: the structure of the report and loose scientific
 * properties (diagonals 100%, Gaussian noise far below adversarial examples), and that a second
 * run reuses everything.
 */
class ReproductionTest {

    private static final ReproductionOptions OPTIONS = ReproductionOptions.quickRun().withTrainImages(2000)
            .withAttackImages(12).withClosestImages(2).withTrain(ReproductionOptions.quickRun().train().withEpochs(5));

    @TempDir
    static Path out;

    private static ReproductionResult result;

    @BeforeAll
    static void reproduce() throws Exception {
        result = new Reproduction(TestData.mnist(), out, OPTIONS, listener(new ArrayList<>())).run();
    }

    @Test
    void smallReproductionHasTheTablesAndThePapersShape() throws Exception {
        TransferMatrix table2 = result.table2();
        assertEquals(List.of(PaperNumbers.TABLE1_MODELS), table2.columns());
        for (int m = 0; m < table2.columns().size(); m++) {
            assertEquals(1.0, table2.error(m, m), "diagonal of " + table2.columns().get(m));
        }
        int noise = table2.rows().indexOf("noise-0.1");
        double noiseMean = 0;
        double transferMean = 0;
        for (int c = 0; c < table2.columns().size(); c++) {
            noiseMean += table2.error(noise, c) / table2.columns().size();
            transferMean += table2.error(c, c) / table2.columns().size();
        }
        assertTrue(noiseMean < 0.25 && noiseMean < transferMean / 3, "noise " + noiseMean + " vs " + transferMean);
        TransferMatrix table4 = result.table4();
        assertEquals(8, table4.rows().size(), "3 models, 2 noise rows, 3 magnified rows");
        for (int m = 0; m < 3; m++) {
            assertEquals(1.0, table4.error(m, m));
        }

        String report = Files.readString(out.resolve("report.md"));
        for (String title : List.of("Table 1", "Table 2", "Table 3", "Table 4", "Wall time per stage")) {
            assertTrue(report.contains("## " + title), title);
        }
        Matcher images = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(report);
        int count = 0;
        while (images.find()) {
            assertTrue(Files.size(out.resolve(images.group(1))) > 100, images.group(1));
            count++;
        }
        assertEquals(IMAGES, count, "a grid and a histogram per model, two grids per unit analysis, curves");
        assertTrue(report.contains("## Section 4.2"), "adversarial training");
        assertTrue(report.contains("## Section 3"), "section 3");
        assertTrue(report.contains("## Section 4.3"), "section 4.3");
        assertTrue(report.contains("### A convolutional network trained here"), "section 4.3, conv net");
        assertEquals(4, result.convSpectral.convNet().size(), "conv, pool, dense, logits");
        assertTrue(result.convSpectral.validNorm() <= result.convSpectral.convNet().get(0).bound() * (1 + 1e-9));
        assertTrue(result.convSpectral.alexNet().isEmpty(), "AlexNet's shapes only in the full run");
        assertTrue(report.contains("## Deviations from the paper"), "deviations");
        String html = Files.readString(out.resolve("report.html"));
        assertFalse(html.contains("base64,\""), "every image is inlined");
        assertTrue(Files.exists(out.resolve("results.json")));
    }

    @Test
    void theHtmlReportShowsEveryImageInChromium() throws Exception {
        assumeTrue(HeadlessBrowser.available(), "Debian's chromium is not installed (.ci/run installs it)");
        Path scratch = Files.createDirectories(out.resolve("browser"));
        int[] loaded = HeadlessBrowser.countImages(out.resolve("report.html"), scratch);
        assertEquals(IMAGES, loaded[0], "every image of report.md is in report.html");
        assertEquals(loaded[0], loaded[1], "every image loads in Chromium");
    }

    @Test
    void aSecondRunReusesTheCache() throws Exception {
        TransferMatrix table2 = result.table2();
        Path model = out.resolve("models").resolve("fc100-100-10").resolve("model.npz");
        long trainedAt = Files.getLastModifiedTime(model).toMillis();
        List<String> stages = new ArrayList<>();
        ReproductionResult second = new Reproduction(TestData.mnist(), out, OPTIONS, listener(stages)).run();
        assertEquals(trainedAt, Files.getLastModifiedTime(model).toMillis(), "the trained model is reused");
        assertTrue(stages.contains("adversarial training (cached)"), stages.toString());
        assertEquals(result.adversarialCurves, second.adversarialCurves, "the cached curves");
        for (int r = 0; r < table2.rows().size(); r++) {
            for (int c = 0; c < table2.columns().size(); c++) {
                assertEquals(table2.error(r, c), second.table2().error(r, c), "cached attacks give the same table");
            }
        }
    }

    @Test
    void theReportStatesTheAdversarialRecipeAndCurvesMadeWithAnotherAreNotReused() throws Exception {
        String recipe = AdversarialTrainer.Settings.defaults().describe();
        assertTrue(Files.readString(out.resolve("report.md")).contains(recipe), "the recipe in the report");
        Path cache = out.resolve("results").resolve("adversarial-training.json");
        String json = Files.readString(cache);
        assertTrue(json.contains(recipe), "the recipe in the cache");
        Files.writeString(cache, json.replace(recipe, "an older recipe"));
        List<String> stages = new ArrayList<>();
        ReproductionResult again = new Reproduction(TestData.mnist(), out, OPTIONS, listener(stages)).run();
        assertTrue(stages.contains("adversarial training"), "trained again: " + stages);
        assertEquals(result.adversarialCurves, again.adversarialCurves, "the same seeds give the same curves");
        assertTrue(Files.readString(cache).contains(recipe), "the cache now holds the current recipe");
    }

    @Test
    void anAttackMadeWithOtherSettingsIsMadeAgain() throws Exception {
        Path settings = out.resolve("attacks").resolve("fc10-1-next").resolve("run.json");
        String current = Files.readString(settings);
        assertTrue(current.contains("\"history\" : \"keep\""), current);
        Files.writeString(settings, current.replace("\"history\" : \"keep\",", ""));
        List<String> notes = new ArrayList<>();
        ReproductionResult again = new Reproduction(TestData.mnist(), out, OPTIONS, listener(new ArrayList<>(), notes))
                .run();
        assertTrue(notes.stream().anyMatch(n -> n.contains("fc10-1-next used other settings (history null -> \"keep\")")),
                notes.toString());
        assertEquals(current, Files.readString(settings), "the run made again with the current settings");
        TransferMatrix table2 = result.table2();
        for (int r = 0; r < table2.rows().size(); r++) {
            for (int c = 0; c < table2.columns().size(); c++) {
                assertEquals(table2.error(r, c), again.table2().error(r, c), "the same attack gives the same table");
            }
        }
    }

    @Test
    void theAdversarialVerdictFollowsTheNumbers() {
        assertTrue(ReproductionReport.adversarialVerdict(0.0195, 0.0110).startsWith("Reproduced"));
        String partly = ReproductionReport.adversarialVerdict(0.0195, 0.0154);
        assertTrue(partly.startsWith("Partly reproduced") && partly.contains("by 0.41 points"), partly);
        assertTrue(ReproductionReport.adversarialVerdict(0.0195, 0.0231).startsWith("Not reproduced"));
    }

    /** A grid and a histogram per model, two grids per unit analysis, the adversarial-training curves. */
    private static final int IMAGES = 2 * 9 + 2 * 3 + 1;

    private static Reproduction.Listener listener(List<String> stages) {
        return listener(stages, new ArrayList<>());
    }

    private static Reproduction.Listener listener(List<String> stages, List<String> notes) {
        return new Reproduction.Listener() {
            @Override
            public void stage(int index, int total, String name) {
                stages.add(name);
            }

            @Override
            public TrainingListener training() {
                return TrainingListener.NONE;
            }

            @Override
            public AttackJob.Progress attack() {
                return (done, total, message) -> { };
            }

            @Override
            public void note(String text) {
                notes.add(text);
            }
        };
    }
}
