package org.blindspot.engine.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Where {@link MnistLocator} found the MNIST files, and what it tried on the way.
 *
 * @param directory the folder holding the four files
 * @param source which rule found it
 * @param searched every place looked at, in order, with its outcome (the last one is the match)
 */
public record MnistLocation(Path directory, Source source, List<String> searched) {

    /** The rules, in the order the locator applies them. */
    public enum Source {
        /** The {@code --data DIR} option. */
        OPTION("--data"),
        /** The {@code BLINDSPOT_DATA} environment variable. */
        ENVIRONMENT("BLINDSPOT_DATA"),
        /** The per-user cache, {@code ~/.cache/blindspot/mnist}. */
        USER_CACHE("~/.cache/blindspot/mnist");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        /** How the rule is shown to users, e.g. {@code BLINDSPOT_DATA}. */
        public String label() {
            return label;
        }
    }

    public MnistLocation {
        searched = List.copyOf(searched);
    }

    /** A few lines for the {@code info} command: the folder, the rule that found it, the search. */
    public String describe() {
        StringBuilder text = new StringBuilder("MNIST data: " + directory + " (from " + source.label() + ")\n");
        text.append("  looked in:\n");
        for (String place : searched) {
            text.append("    ").append(place).append('\n');
        }
        return text.toString();
    }
}
