package org.blindspot.engine.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.blindspot.engine.io.Folders;
import org.blindspot.engine.paper.Reproduction;
import org.blindspot.engine.paper.ReproductionOptions;
import org.blindspot.engine.run.AttackJob;
import org.blindspot.engine.runtime.BackendInfo;
import org.blindspot.engine.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code blindspot reproduce}: the paper's MNIST experiments end to end, with a report. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        header = "Reproduce the paper's MNIST experiments end to end, with a report.",
        description = {"Reproduce Szegedy et al. (2014) on MNIST: train the models of Tables 1 and 3, attack them,",
                "measure the transfer of adversarial examples (Tables 2 and 4, Gaussian and magnified rows), and",
                "write report.md, report.html and results.json to --out. Re-running skips what is done."})
final class ReproduceCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    DataOptions data;

    @Option(names = "--out", defaultValue = "runs/paper", paramLabel = "DIR",
            description = "Run folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "Subsets (6,000 training images per model, 40 attacked images): minutes on 2 cores.")
    boolean quick;

    @Option(names = "--fresh", description = "Delete the run folder's models and results first.")
    boolean fresh;

    @Option(names = "--attack-images", paramLabel = "N", description = "Images attacked per table (default: 40 quick, 1000 full).")
    Integer attackImages;

    @Option(names = "--closest-images", paramLabel = "N",
            description = "Of those, images attacked towards every label for Table 1 (default: 10 quick, 100 full).")
    Integer closestImages;

    @Override
    public Integer call() throws IOException {
        ReproductionOptions options = quick ? ReproductionOptions.quickRun() : ReproductionOptions.fullRun();
        if (attackImages != null) {
            options = options.withAttackImages(attackImages);
        }
        if (closestImages != null) {
            options = options.withClosestImages(closestImages);
        }
        if (fresh) {
            Folders.deleteRecursively(out);
        }
        Path dataDir = data.locate().directory();
        System.err.printf(Locale.ROOT, "reproducing Szegedy et al. (2014), %s, on %s, into %s%n",
                quick ? "quick" : "full", BackendInfo.current().oneLine(), out);
        long start = System.nanoTime();
        Console console = new Console();
        try {
            new Reproduction(dataDir, out, options, console).run();
        } finally {
            console.close();
        }
        System.out.printf(Locale.ROOT, "report: %s (and report.html, results.json), %.0f s%n", out.resolve("report.md"),
                (System.nanoTime() - start) / 1e9);
        return 0;
    }


    /** Prints the overall stage line and one progress bar per stage. */
    private static final class Console implements Reproduction.Listener {
        private ProgressBar bar;

        @Override
        public void stage(int index, int total, String name) {
            close();
            System.err.printf(Locale.ROOT, "[%d/%d] %s%n", index, total, name);
            bar = new ProgressBar("  " + name.split(" ")[0]);
        }

        @Override
        public TrainingListener training() {
            return (stage, done, total, loss) -> bar.update(done, total,
                    String.format(Locale.ROOT, "%s loss %.4f", stage, loss));
        }

        @Override
        public AttackJob.Progress attack() {
            return (done, total, message) -> bar.update(done, total, message);
        }

        @Override
        public void note(String text) {
            System.err.println("  " + text);
        }

        void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
