package org.blindspot.engine.paper;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.blindspot.engine.attack.TargetRule;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Mnist;
import org.blindspot.engine.data.Split;
import org.blindspot.engine.io.AtomicFiles;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.DenseLayer;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelFactory;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.model.ModelMetadata;
import org.blindspot.engine.model.ModelSpec;
import org.blindspot.engine.run.AttackJob;
import org.blindspot.engine.run.Json;
import org.blindspot.engine.run.RunFolder;
import org.blindspot.engine.runtime.BackendInfo;
import org.blindspot.engine.train.AdamTrainer;
import org.blindspot.engine.train.AdversarialTrainer;
import org.blindspot.engine.train.Evaluation;
import org.blindspot.engine.train.ModelTrainer;
import org.blindspot.engine.train.TrainOptions;
import org.blindspot.engine.train.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's MNIST experiments end to end (Szegedy et al. 2014, section 4.2): trains the models of
 * Tables 1 and 3, attacks each, measures the transfer of the adversarial examples between models
 * (Tables 2 and 4, with the Gaussian-noise and magnified rows) and writes the report.
 *
 * <p>Everything is cached in the output folder: a trained model is loaded instead of retrained, an
 * attack run resumes where it stopped; re-running skips what is done. An attack run made with other settings
 * (an older version's defaults, say) is made again.
 */
public final class Reproduction {

    /** What the caller sees of the run: stage changes, progress, notes. */
    public interface Listener {
        /** A new stage starts. */
        void stage(int index, int total, String name);

        /** Training progress of the current stage. */
        TrainingListener training();

        /** Attack progress of the current stage. */
        AttackJob.Progress attack();

        /** A one-line note. */
        void note(String text);
    }

    /** A model of the reproduction: its id, zoo name and training split. */
    record Entry(String id, String zooName, Split split) {
    }

    static final List<Entry> TABLE1 = List.of(new Entry("fc10-1e-4", "fc10-1e-4", Split.TRAIN),
            new Entry("fc10-1e-2", "fc10-1e-2", Split.TRAIN), new Entry("fc10-1", "fc10-1", Split.TRAIN),
            new Entry("fc100-100-10", "fc100-100-10", Split.TRAIN),
            new Entry("fc200-200-10", "fc200-200-10", Split.TRAIN), new Entry("ae400-10", "ae400-10", Split.TRAIN));
    static final List<Entry> TABLE3 = List.of(new Entry("fc100-100-10-p1", "fc100-100-10", Split.P1),
            new Entry("fc123-456-10-p1", "fc123-456-10", Split.P1),
            new Entry("fc100-100-10-p2", "fc100-100-10", Split.P2));

    /** Section 3: the layers analysed (model id, 1-based layer). */
    static final String[][] UNIT_LAYERS = {{"fc100-100-10", "1"}, {"fc100-100-10", "2"}, {"ae400-10", "1"}};
    /** Section 3: images per direction. */
    static final int UNITS_TOP = 8;
    /** The key of the recipe in results/adversarial-training.json. */
    private static final String RECIPE = "recipe";
    /** Section 3: directions shown in the grids. */
    static final int UNITS_SHOWN = 6;

    private final Path dataDir;
    private final Path out;
    private final ReproductionOptions options;
    private final Listener listener;
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
    private int stage;
    private int stages;

    public Reproduction(Path dataDir, Path out, ReproductionOptions options, Listener listener) {
        this.dataDir = dataDir;
        this.out = out;
        this.options = options;
        this.listener = listener;
    }

    /** Runs every stage (skipping what is cached) and writes report.md, report.html and results.json. */
    public ReproductionResult run() throws IOException {
        Files.createDirectories(out);
        stages = TABLE1.size() + TABLE3.size() + 2 * (TABLE1.size() + TABLE3.size()) + 4 + UNIT_LAYERS.length + 6;
        Dataset test = Mnist.load(dataDir, Split.TEST);
        Map<String, ModelFile.Loaded> models = new LinkedHashMap<>();
        for (Entry entry : concat(TABLE1, TABLE3)) {
            models.put(entry.id(), trainOrLoad(entry, test));
        }
        ReproductionResult result = new ReproductionResult(options, BackendInfo.current().oneLine());
        for (Entry entry : concat(TABLE1, TABLE3)) {
            ModelMetadata m = models.get(entry.id()).metadata();
            result.errors.put(entry.id(), new double[] {m.trainError(), m.testError()});
        }
        result.table2 = table(TABLE1, models, test, result, "table2");
        result.table4 = table(TABLE3, models, test, result, "table4");
        for (String[] layer : UNIT_LAYERS) {
            beginStage("units " + layer[0] + " layer " + layer[1]);
            DenseNetwork network = models.get(layer[0]).network();
            UnitAnalysis.Result units = UnitAnalysis.analyse(network, Integer.parseInt(layer[1]), test, UNITS_TOP,
                    options.seed());
            Path grids = out.resolve("figures");
            UnitGrids.write(grids, layer[0] + "-layer" + layer[1], units, test, UNITS_SHOWN);
            result.units.put(layer[0] + " layer " + layer[1], units);
            endStage("units " + layer[0] + " layer " + layer[1]);
        }
        adversarialTraining(test, result);
        beginStage("spectral");
        for (Map.Entry<String, ModelFile.Loaded> e : models.entrySet()) {
            result.spectral.put(e.getKey(), SpectralBounds.of(e.getValue().network(), options.seed()));
        }
        endStage("spectral");
        result.convSpectral = convSpectral(test);
        beginStage("report");
        result.stageSeconds.putAll(stageSeconds);
        ReproductionReport.write(out, result);
        endStage("report");
        return result;
    }

    private TransferMatrix table(List<Entry> entries, Map<String, ModelFile.Loaded> models, Dataset test,
                                 ReproductionResult result, String name) {
        Map<String, Classifier> classifiers = new LinkedHashMap<>();
        for (Entry entry : entries) {
            classifiers.put(entry.id(), models.get(entry.id()).network());
        }
        int[] common = commonlyCorrect(classifiers, test, options.attackImages());
        listener.note(String.format(Locale.ROOT, "%s: attacking the first %d test images all of %s classify correctly",
                name, common.length, classifiers.keySet()));
        List<AdversarialSet> rows = new ArrayList<>();
        Map<String, AdversarialSet> own = new LinkedHashMap<>();
        for (Entry entry : entries) {
            AttackJob.Result next = attack(entry.id(), classifiers.get(entry.id()), test, common, "next", Double.NaN);
            AdversarialSet set = AdversarialSet.fromRecords(entry.id(), next.records(), next.originals(), true);
            rows.add(set);
            own.put(entry.id(), set);
            result.attacks.put(entry.id() + "/next", next.summary());
            result.grids.put(entry.id(), out.resolve("attacks").resolve(entry.id() + "-next").resolve("grid.png"));
            result.distortions.put(entry.id() + "/next", distortions(next));
            int[] few = java.util.Arrays.copyOf(common, Math.min(common.length, options.closestImages()));
            if (few.length > 0) {
                AttackJob.Result closest = attack(entry.id(), classifiers.get(entry.id()), test, few, "closest",
                        Double.NaN);
                result.attacks.put(entry.id() + "/closest", closest.summary());
                result.distortions.put(entry.id() + "/closest", distortions(closest));
            }
        }
        Classifier first = classifiers.values().iterator().next();
        AttackJob.Result noise1 = attack(name + "-noise-0.1", first, test, common, "", 0.1);
        AttackJob.Result noise3 = attack(name + "-noise-0.3", first, test, common, "", 0.3);
        AdversarialSet gauss1 = AdversarialSet.fromRecords("noise-0.1", noise1.records(), noise1.originals(), false);
        AdversarialSet gauss3 = AdversarialSet.fromRecords("noise-0.3", noise3.records(), noise3.originals(), false);
        rows.add(gauss1);
        if (entries == TABLE3) {
            for (Map.Entry<String, AdversarialSet> e : own.entrySet()) {
                rows.add(e.getValue().magnified("magnified-" + e.getKey(), 0.1));
            }
        }
        rows.add(gauss3);
        return TransferMatrix.compute(rows, classifiers);
    }

    private AttackJob.Result attack(String id, Classifier model, Dataset test, int[] indices, String target,
                                    double sigma) {
        boolean gaussian = !Double.isNaN(sigma);
        String folder = gaussian ? id : id + "-" + target;
        beginStage("attack " + folder);
        Map<String, Object> describe = new LinkedHashMap<>();
        describe.put("model", id);
        describe.put("data", "mnist");
        describe.put("split", "test");
        describe.put("indices", indices.length + " images from " + (indices.length == 0 ? "-" : indices[0]));
        AttackJob.Spec spec = new AttackJob.Spec(indices, indices.length, false,
                gaussian ? null : TargetRule.parse(target), sigma, options.seed(), options.attack(), describe);
        Path dir = out.resolve("attacks").resolve(folder);
        String change = RunFolder.settingsChange(dir, spec.settings());
        if (change != null) {
            listener.note("the cached attack in " + dir + " used other settings (" + change + "); attacking again");
        }
        AttackJob.Result result = AttackJob.run(model, test, spec, dir, change != null, listener.attack(),
                listener::note);
        endStage("attack " + folder);
        return result;
    }

    private ModelFile.Loaded trainOrLoad(Entry entry, Dataset test) {
        Path dir = out.resolve("models").resolve(entry.id());
        beginStage("train " + entry.id());
        if (Files.exists(dir.resolve(ModelFile.METADATA))) {
            ModelFile.Loaded loaded = ModelFile.load(dir, Activation.SIGMOID, test.inputSize());
            listener.note("using the trained model in " + dir);
            endStage("train " + entry.id());
            return loaded;
        }
        Dataset train = Mnist.load(dataDir, entry.split());
        if (options.trainImages() > 0 && options.trainImages() < train.count()) {
            train = train.first(options.trainImages());
        }
        ModelSpec spec = ModelSpec.named(entry.zooName(), Activation.SIGMOID);
        INDArray features = train.features(ModelTrainer.dataType());
        long start = System.nanoTime();
        DenseNetwork network = new ModelTrainer(options.train().withSeed(options.seed()), listener.training())
                .train(spec, features, train.labels(), Dataset.CLASSES);
        double seconds = (System.nanoTime() - start) / 1e9;
        double trainError = Evaluation.errorRate(network, features, train.labels());
        double testError = Evaluation.errorRate(network, test.features(DataType.FLOAT), test.labels());
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("method", options.train().method().name().toLowerCase(Locale.ROOT));
        training.put("weight_decay_penalty", DenseLayer.PENALTY_FORM);
        training.put("epochs", options.train().epochs());
        training.put("batch", options.train().batchSize());
        training.put("learning_rate", options.train().learningRate());
        training.put("seconds", Math.round(seconds * 10) / 10.0);
        ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT, spec.name(), spec.hidden(),
                spec.activation().id(), spec.weightDecay(), spec.autoencoder(), network.inputSize(),
                network.numClasses(), entry.split().key(), train.count(), options.seed(), training, trainError,
                testError, BackendInfo.current().oneLine(), BackendInfo.version(), Instant.now().toString());
        ModelFile.save(dir, network, metadata);
        listener.note(String.format(Locale.ROOT, "%s: train error %.2f%%, test error %.2f%% (%.0f s)", entry.id(),
                100 * trainError, 100 * testError, seconds));
        endStage("train " + entry.id());
        return ModelFile.load(dir, Activation.SIGMOID, test.inputSize());
    }

    /**
     * Section 4.2's adversarial training: FC100-100-10 trained with a refreshed pool of adversarial
     * examples against the same network trained with weight decay only, both with the test error
     * after every epoch. Cached as results/adversarial-training.json with the recipe, and trained again when the
     * cached curves were made with another one.
     */
    private void adversarialTraining(Dataset test, ReproductionResult result) throws IOException {
        Path cache = out.resolve("results").resolve("adversarial-training.json");
        AdversarialTrainer.Settings settings = AdversarialTrainer.Settings.defaults();
        result.adversarialRecipe = settings.describe();
        JsonNode cached = Files.exists(cache) ? Json.LINES.readTree(cache.toFile()) : null;
        if (cached != null && !result.adversarialRecipe.equals(cached.path(RECIPE).asText())) {
            listener.note("the cached adversarial training used another recipe; training again");
            cached = null;
        }
        if (cached != null) {
            beginStage("adversarial training (cached)");
            for (String name : List.of(AdversarialCurves.BASELINE, AdversarialCurves.ADVERSARIAL)) {
                List<Double> curve = new ArrayList<>();
                cached.get(name).forEach(v -> curve.add(v.asDouble()));
                result.adversarialCurves.put(name, curve);
            }
            endStage("adversarial training (cached)");
            beginStage("weight decay only (cached)");
            endStage("weight decay only (cached)");
            return;
        }
        Dataset train = Mnist.load(dataDir, Split.TRAIN);
        if (options.trainImages() > 0 && options.trainImages() < train.count()) {
            train = train.first(options.trainImages());
        }
        INDArray features = train.features(ModelTrainer.dataType());
        INDArray testFeatures = test.features(DataType.FLOAT);
        ModelSpec spec = ModelSpec.named("fc100-100-10", Activation.SIGMOID);
        TrainOptions trainOptions = options.train().withSeed(options.seed());

        beginStage("weight decay only");
        List<Double> baseline = new ArrayList<>();
        DenseNetwork plain = ModelFactory.initialise(spec, test.inputSize(), Dataset.CLASSES,
                options.seed(), DataType.FLOAT);
        new AdamTrainer(trainOptions, listener.training()).train("weight decay", plain,
                features, train.labels(), (epoch, loss) -> baseline.add(
                        Evaluation.errorRate(plain, testFeatures, test.labels())));
        endStage("weight decay only");

        beginStage("adversarial training");
        List<Double> adversarial = new ArrayList<>();
        DenseNetwork robust = ModelFactory.initialise(spec, test.inputSize(),
                Dataset.CLASSES, options.seed(), DataType.FLOAT);
        new AdversarialTrainer(trainOptions, settings, listener.training())
                .train("adversarial", robust, features, train.labels(), (epoch, loss) -> adversarial.add(
                        Evaluation.errorRate(robust, testFeatures, test.labels())));
        endStage("adversarial training");
        result.adversarialCurves.put(AdversarialCurves.BASELINE, baseline);
        result.adversarialCurves.put(AdversarialCurves.ADVERSARIAL, adversarial);
        Files.createDirectories(cache.getParent());
        Map<String, Object> saved = new LinkedHashMap<>();
        saved.put(RECIPE, result.adversarialRecipe);
        saved.putAll(result.adversarialCurves);
        byte[] json = Json.PRETTY.writeValueAsBytes(saved);
        AtomicFiles.write(cache, o -> o.write(json));
        listener.note(String.format(Locale.ROOT, "test error: weight decay only %.2f%%, adversarial training %.2f%%",
                100 * baseline.get(baseline.size() - 1), 100 * adversarial.get(adversarial.size() - 1)));
    }

    /**
     * Section 4.3 on convolutions: trains the small conv net (one epoch on the quick run's images, two on the
     * full set) and bounds its layers; the full run also bounds AlexNet's layer shapes. Cached as
     * results/spectral-conv.json.
     */
    private ConvSpectral convSpectral(Dataset test) throws IOException {
        Path cache = out.resolve("results").resolve("spectral-conv.json");
        if (Files.exists(cache)) {
            beginStage("spectral conv net (cached)");
            ConvSpectral cached = Json.LINES.readValue(cache.toFile(), ConvSpectral.class);
            endStage("spectral conv net (cached)");
            beginStage("spectral AlexNet shapes (cached)");
            endStage("spectral AlexNet shapes (cached)");
            return cached;
        }
        beginStage("spectral conv net");
        Dataset train = Mnist.load(dataDir, Split.TRAIN);
        if (options.trainImages() > 0 && options.trainImages() < train.count()) {
            train = train.first(options.trainImages());
        }
        int epochs = options.quick() ? 1 : 2;
        long steps = SmallConvNet.steps(train.count(), epochs);
        SmallConvNet.Trained trained = SmallConvNet.train(train, test, epochs, options.seed(),
                (done, loss) -> listener.training().progress("conv net", done, steps, loss));
        List<SpectralBounds.Layer> convNet = SmallConvNet.bounds(trained.network(), test.height(), options.seed());
        double valid = SmallConvNet.validConvolutionNorm(trained.network(), test.height(), options.seed());
        endStage("spectral conv net");
        listener.note(String.format(Locale.ROOT, "conv net: test error %.2f%%, conv bound %.3f (valid operator %.3f)",
                100 * trained.testError(), convNet.get(0).bound(), valid));
        List<SpectralBounds.Layer> alexNet = new ArrayList<>();
        if (!options.quick()) {
            beginStage("spectral AlexNet shapes");
            alexNet = AlexNetShapes.bounds(options.seed(), layer -> listener.note(String.format(Locale.ROOT,
                    "AlexNet %s: %.3f", layer.shape(), layer.bound())));
            endStage("spectral AlexNet shapes");
        } else {
            beginStage("spectral AlexNet shapes (full run only)");
            endStage("spectral AlexNet shapes (full run only)");
        }
        ConvSpectral result = new ConvSpectral(convNet, trained.testError(), valid, alexNet);
        Files.createDirectories(cache.getParent());
        byte[] json = Json.PRETTY.writeValueAsBytes(result);
        AtomicFiles.write(cache, o -> o.write(json));
        return result;
    }

    /** The first {@code limit} test indices that every model classifies correctly. */
    static int[] commonlyCorrect(Map<String, Classifier> models, Dataset test, int limit) {
        INDArray features = test.features(DataType.FLOAT);
        boolean[] ok = new boolean[test.count()];
        java.util.Arrays.fill(ok, true);
        for (Classifier model : models.values()) {
            int[] predicted = Evaluation.predict(model, features);
            for (int i = 0; i < ok.length; i++) {
                ok[i] &= predicted[i] == test.label(i);
            }
        }
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < ok.length && indices.size() < limit; i++) {
            if (ok[i]) {
                indices.add(i);
            }
        }
        return indices.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] distortions(AttackJob.Result result) {
        return result.records().stream().filter(r -> r.succeeded()).mapToDouble(r -> r.rmsDistortion()).toArray();
    }

    private long stageStart;

    private void beginStage(String name) {
        stage++;
        listener.stage(stage, stages, name);
        stageStart = System.nanoTime();
    }

    private void endStage(String name) {
        stageSeconds.put(name, (System.nanoTime() - stageStart) / 1e9);
    }

    private static List<Entry> concat(List<Entry> a, List<Entry> b) {
        List<Entry> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

}
