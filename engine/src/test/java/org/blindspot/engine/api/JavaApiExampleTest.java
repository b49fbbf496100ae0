package org.blindspot.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blindspot.engine.attack.AttackInput;
import org.blindspot.engine.attack.AttackOptions;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.attack.BoxConstrainedLbfgsAttack;
import org.blindspot.engine.model.Activation;
import org.blindspot.engine.model.DenseNetwork;
import org.blindspot.engine.model.ModelFactory;
import org.blindspot.engine.model.ModelFile;
import org.blindspot.engine.model.ModelSpec;
import org.blindspot.engine.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** The Java API example of README.md, compiled and run as written there (between the markers). */
class JavaApiExampleTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeExampleRuns() {
        Path npz = dir.resolve("model.npz");
        Npz.write(npz, ModelFile.toArrays(ModelFactory.initialise(ModelSpec.named("fc30-10", Activation.SIGMOID), 784,
                10, 1, DataType.FLOAT)));
        float[][] images = new float[3][784];
        for (int i = 0; i < images.length; i++) {
            images[i][100 + i] = 1f;
        }
        int[] labels = {1, 2, 3};

        // README example begins
        DenseNetwork model = ModelFile.load(npz, Activation.SIGMOID, 784).network();
        List<AttackInput> inputs = new ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            inputs.add(new AttackInput(i, images[i], labels[i], new int[] {(labels[i] + 1) % 10}));
        }
        AttackOptions options = AttackOptions.defaults().withBatch(256);
        List<AttackRecord> records = new BoxConstrainedLbfgsAttack(model, options).run(inputs, record -> { });
        for (AttackRecord r : records) {
            System.out.printf("%d -> %d: %s, distortion %.4f%n", r.trueLabel(), r.target(), r.status(), r.rmsDistortion());
        }
        // README example ends

        assertEquals(3, records.size());
        for (AttackRecord r : records) {
            assertTrue(r.succeeded(), r.status().toString());
            assertEquals(784, r.adversarial().length);
        }
    }
}
