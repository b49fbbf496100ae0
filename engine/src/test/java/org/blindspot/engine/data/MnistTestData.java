package org.blindspot.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find the real MNIST files: {@code $BLINDSPOT_DATA} if set, else {@code
 * <blindspot.root>/../shared/data/mnist} (Surefire sets {@code blindspot.root} to the repository
 * root).
 */
final class MnistTestData {

    private MnistTestData() {
    }

    static Path directory() {
        String variable = System.getenv(MnistLocator.ENVIRONMENT_VARIABLE);
        Path directory;
        if (variable != null && !variable.isBlank()) {
            directory = Path.of(variable);
        } else {
            String root = System.getProperty("blindspot.root");
            if (root == null) {
                throw new IllegalStateException("neither BLINDSPOT_DATA nor the system property blindspot.root "
                        + "is set; run the tests through Maven");
            }
            directory = Path.of(root).resolve("..").resolve("shared").resolve("data").resolve("mnist").normalize();
        }
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("MNIST test data folder " + directory + " does not exist");
        }
        return directory;
    }
}
