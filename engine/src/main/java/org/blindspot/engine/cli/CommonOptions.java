package org.blindspot.engine.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {

    @Option(names = "--verbose", description = "Print stack traces of errors and more detail.")
    boolean verbose;
}
