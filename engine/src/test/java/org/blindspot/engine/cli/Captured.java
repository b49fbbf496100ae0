package org.blindspot.engine.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** A command-line run with its exit code and what it printed on standard output and error. */
record Captured(int code, String out, String err) {

    /** Runs {@code blindspot args...} in this JVM. */
    static Captured command(String... args) {
        return of(() -> Main.run(args));
    }

    /** Runs {@code body}, capturing what it prints; its result is the exit code. */
    static Captured of(Callable<Integer> body) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = body.call();
            return new Captured(code, outBytes.toString(StandardCharsets.UTF_8),
                    errBytes.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
