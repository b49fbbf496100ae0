package org.blindspot.engine.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns exceptions into one clear line on standard error and an exit code; the stack trace only
 * with {@code --verbose}.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof IllegalArgumentException) {
            err.println("error: " + message(e));
            err.println("(see 'blindspot " + cli.getCommandName() + " --help')");
            return Main.USAGE;
        }
        err.println("error: " + message(e));
        if (isVerbose(parsed)) {
            e.printStackTrace(err);
        } else {
            err.println("(run with --verbose for the stack trace)");
        }
        err.flush();
        return Main.FAILED;
    }

    static int usage(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("error: " + e.getMessage());
        err.println("(see 'blindspot " + cli.getCommandName() + " --help')");
        err.flush();
        return Main.USAGE;
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static boolean isVerbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult r = parsed; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
