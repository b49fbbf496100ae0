package org.blindspot.engine.cli;

import org.blindspot.engine.runtime.BackendInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code blindspot} command.
 *
 * <p>Exit codes: 0 success; 1 the work failed (bad data or model file, an I/O error, a computation
 * that could not finish); 2 the command line was wrong.
 */
@Command(name = "blindspot", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Minimum-distortion adversarial examples at high throughput (Szegedy et al. 2014).",
        subcommands = {InfoCommand.class, TrainCommand.class, AdvTrainCommand.class, EvalCommand.class, AttackCommand.class,
                TransferCommand.class, UnitsCommand.class, SpectralCommand.class, ReproduceCommand.class,
                BenchCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the work failed (bad data or model file, I/O, computation)",
                "2:wrong command line"})
public final class Main implements Runnable {

    /** Exit code of a run that failed. */
    public static final int FAILED = 1;
    /** Exit code of a wrong command line. */
    public static final int USAGE = 2;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required: info, train, eval, ...");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (what {@link #main} exits with). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Failures());
        cli.setParameterExceptionHandler(Failures::usage);
        return cli.execute(args);
    }

    /** Supplies the version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"blindspot " + BackendInfo.version()};
        }
    }
}
