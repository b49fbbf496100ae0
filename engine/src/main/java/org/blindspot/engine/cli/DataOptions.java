package org.blindspot.engine.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.Mnist;
import org.blindspot.engine.data.MnistLocation;
import org.blindspot.engine.data.MnistLocator;
import org.blindspot.engine.data.Split;
import picocli.CommandLine.Option;

/** Where MNIST is: {@code --data DIR}, else {@code $BLINDSPOT_DATA}, else {@code ~/.cache/blindspot/mnist}. */
final class DataOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the four MNIST IDX files (gzip or raw). Default: $BLINDSPOT_DATA, "
                    + "then ~/.cache/blindspot/mnist.")
    Path data;

    /** Finds the data folder; throws DataNotFoundException with instructions when it is not there. */
    MnistLocation locate() {
        return MnistLocator.forThisProcess().locate(Optional.ofNullable(data));
    }

    /** Loads a split, checking the files' SHA-256 sums. */
    Dataset load(Split split) {
        return Mnist.load(locate().directory(), split);
    }
}
