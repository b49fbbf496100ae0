package org.blindspot.engine.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.io.AtomicFiles;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.Classifier;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.paper.AdversarialSet;
import org.blindspot.engine.paper.TransferMatrix;
import org.blindspot.engine.run.Json;
import org.blindspot.engine.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code blindspot transfer}: the error of each model on each attack run's images (Tables 2 and 4). */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        header = "Error of each model on each attack run's images (Tables 2 and 4 for your models).",
        description = {"Error rate of each model (columns) on the images of each attack run (rows): the",
                "adversarial examples made for one model, or Gaussian noise (attack --method gaussian)."})
final class TransferCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--models", required = true, split = ",", paramLabel = "PATH",
            description = "Model folders, dense NPZ files or ONNX files, comma-separated.")
    List<Path> models;

    @Option(names = "--runs", required = true, split = ",", paramLabel = "DIR",
            description = "Attack run folders, comma-separated; their successful examples form the rows (all "
                    + "examples for Gaussian runs).")
    List<Path> runs;

    @Option(names = "--activation", defaultValue = "sigmoid", description = "Hidden activation of bare NPZ models.")
    String activation;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the matrix as JSON here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, Classifier> columns = new LinkedHashMap<>();
        int inputs = 0;
        for (Path path : models) {
            ModelFile.Loaded loaded = ModelFile.load(path, Activation.parse(activation), 0);
            ModelOptions.printNotes(loaded);
            inputs = loaded.classifier().inputSize();
            columns.put(ModelOptions.name(loaded), loaded.classifier());
        }
        List<AdversarialSet> rows = new ArrayList<>();
        for (Path run : runs) {
            List<AttackRecord> records = new ArrayList<>(RunFolder.read(run, inputs).values());
            boolean gaussian = records.stream().allMatch(r -> r.evaluations() == 0);
            rows.add(AdversarialSet.fromRecords(run.getFileName().toString(), records,
                    records.stream().map(AttackRecord::adversarial).toList(), !gaussian));
        }
        TransferMatrix matrix = TransferMatrix.compute(rows, columns);
        StringBuilder table = new StringBuilder("| images of |");
        matrix.columns().forEach(c -> table.append(' ').append(c).append(" |"));
        table.append(" images | av. distortion |\n|---|").append("---|".repeat(matrix.columns().size() + 2)).append('\n');
        for (int r = 0; r < matrix.rows().size(); r++) {
            table.append("| ").append(matrix.rows().get(r)).append(" |");
            for (int c = 0; c < matrix.columns().size(); c++) {
                table.append(String.format(Locale.ROOT, " %.1f%% |", 100 * matrix.error(r, c)));
            }
            table.append(String.format(Locale.ROOT, " %d | %.3f |%n", rows.get(r).images().size(), matrix.distortion(r)));
        }
        System.out.print(table);
        if (out != null) {
            byte[] json = Json.PRETTY.writeValueAsBytes(matrix.toMap());
            AtomicFiles.write(out, o -> o.write(json));
        }
        return 0;
    }
}
