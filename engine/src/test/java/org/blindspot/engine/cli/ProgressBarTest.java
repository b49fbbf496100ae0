package org.blindspot.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void withoutATerminalItPrintsALineEveryTenthAndFormatsOnlyThose() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicInteger made = new AtomicInteger();
        try (ProgressBar bar = new ProgressBar("attack", new PrintStream(bytes, true, StandardCharsets.UTF_8), false)) {
            for (int done = 1; done <= 1000; done++) {
                int now = done;
                bar.update(done, 1000, () -> {
                    made.incrementAndGet();
                    return now + "/1000";
                });
            }
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(11, lines.length, "the first update, then every tenth: " + String.join("\n", lines));
        assertEquals(11, made.get(), "one message per line drawn");
        assertTrue(lines[0].startsWith("attack [----") && lines[0].contains(" 1/1000 "), lines[0]);
        assertTrue(lines[1].startsWith("attack [###") && lines[1].contains(" 100/1000 "), lines[1]);
        assertTrue(lines[10].contains("100.0% 1000/1000 "), lines[10]);
    }
}
