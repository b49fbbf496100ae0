package org.blindspot.engine.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.attack.AttackStatus;
import org.blindspot.engine.io.AtomicFiles;
import org.blindspot.engine.io.BadDataException;

/**
 * The output folder of an attack run, written as the run goes:
 *
 * <ul>
 *   <li>{@code run.json}: the settings; a folder whose settings differ is refused, so one run's
 *       results are never mixed with another's;</li>
 *   <li>{@code records.jsonl}: one JSON line per finished example, appended and flushed at once;</li>
 *   <li>{@code adversarial.rows}: the adversarial image of each finished example (int index, then
 *       m float32, big-endian), appended with its record;</li>
 * </ul>
 *
 * On restart with the same settings, {@link #finished()} gives the examples already done, so
 * the run continues without recomputing them. A line or row cut off by an interruption is dropped.
 */
public final class RunFolder implements AutoCloseable {

    /** Settings file. */
    public static final String SETTINGS = "run.json";
    /** Records file. */
    public static final String RECORDS = "records.jsonl";
    /** Adversarial rows file. */
    public static final String ROWS = "adversarial.rows";

    private final Path dir;
    private final int pixels;
    private final Map<Integer, AttackRecord> finished = new LinkedHashMap<>();
    private Writer records;
    private DataOutputStream rows;

    private RunFolder(Path dir, int pixels) {
        this.dir = dir;
        this.pixels = pixels;
    }

    /**
     * Opens (creating or resuming) a run folder.
     *
     * @param settings the run's settings; must equal those already in the folder, if any
     * @param pixels   m, the image size
     * @throws BadDataException if the folder holds another run's results
     */
    public static RunFolder open(Path dir, Map<String, Object> settings, int pixels) {
        RunFolder folder = new RunFolder(dir, pixels);
        try {
            Files.createDirectories(dir);
            Path settingsFile = dir.resolve(SETTINGS);
            JsonNode wanted = Json.LINES.readTree(Json.LINES.writeValueAsString(settings));
            if (Files.exists(settingsFile)) {
                JsonNode existing;
                try {
                    existing = Json.LINES.readTree(settingsFile.toFile());
                } catch (JsonProcessingException e) {
                    throw new BadDataException(settingsFile.toString(), "unreadable run settings: " + e.getOriginalMessage());
                }
                if (!wanted.equals(existing)) {
                    throw new BadDataException(dir.toString(), "the folder holds another run's results (its "
                            + SETTINGS + " differs: " + difference(existing, wanted)
                            + "); choose another --out, or add --fresh to replace them");
                }
                folder.load();
                folder.rewrite();
            } else {
                if (Files.exists(dir.resolve(RECORDS))) {
                    throw new BadDataException(dir.toString(), "the folder holds records but no " + SETTINGS
                            + "; choose another --out, or add --fresh to replace them");
                }
                byte[] json = Json.PRETTY.writeValueAsBytes(settings);
                AtomicFiles.write(settingsFile, out -> out.write(json));
            }
            folder.records = Files.newBufferedWriter(dir.resolve(RECORDS), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            folder.rows = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(ROWS),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND)));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open run folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * How the settings of the run already in {@code dir} differ from {@code settings} ("memory 10 -> 5, ..."), or
     * null when the folder holds no run, an unreadable one (which {@link #open} then reports), or the same settings.
     */
    public static String settingsChange(Path dir, Map<String, Object> settings) {
        Path settingsFile = dir.resolve(SETTINGS);
        if (!Files.exists(settingsFile)) {
            return null;
        }
        try {
            JsonNode existing = Json.LINES.readTree(settingsFile.toFile());
            JsonNode wanted = Json.LINES.readTree(Json.LINES.writeValueAsString(settings));
            return existing.equals(wanted) ? null : difference(existing, wanted);
        } catch (IOException e) {
            return null;
        }
    }

    /** Deletes the run files of a folder (for {@code --fresh}); other files are left alone. */
    public static void clear(Path dir) {
        for (String name : List.of(SETTINGS, RECORDS, ROWS, RunSummary.SUMMARY, RunSummary.ADVERSARIAL,
                RunSummary.GRID)) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + dir.resolve(name) + ": " + e.getMessage(), e);
            }
        }
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** Examples finished before this run started (resume), and during it, by example index. */
    public Map<Integer, AttackRecord> finished() {
        return finished;
    }

    /** Appends one finished example and flushes it to disk. */
    public synchronized void append(AttackRecord record) {
        try {
            rows.writeInt(record.index());
            for (float v : record.adversarial()) {
                rows.writeFloat(v);
            }
            rows.flush();
            records.write(Json.LINES.writeValueAsString(RecordJson.toMap(record)));
            records.write('\n');
            records.flush();
            finished.put(record.index(), record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (records != null) {
                records.close();
            }
            if (rows != null) {
                rows.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + dir + ": " + e.getMessage(), e);
        }
    }

    private void load() throws IOException {
        Map<Integer, float[]> images = new LinkedHashMap<>();
        Path rowsFile = dir.resolve(ROWS);
        if (Files.exists(rowsFile)) {
            try (InputStream raw = Files.newInputStream(rowsFile);
                 DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
                while (true) {
                    int index;
                    float[] image = new float[pixels];
                    try {
                        index = in.readInt();
                        for (int i = 0; i < pixels; i++) {
                            image[i] = in.readFloat();
                        }
                    } catch (EOFException e) {
                        break;
                    }
                    images.put(index, image);
                }
            }
        }
        Path recordsFile = dir.resolve(RECORDS);
        if (!Files.exists(recordsFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(recordsFile, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.LINES.readTree(line);
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    break;
                }
                throw new BadDataException(recordsFile.toString(), "line " + (i + 1) + " is not JSON: "
                        + e.getOriginalMessage());
            }
            int index = node.get("index").asInt();
            float[] image = images.get(index);
            if (image != null) {
                finished.put(index, RecordJson.fromJson(node, image));
            }
        }
    }

    /**
     * The finished examples of a run folder, read only (for {@code transfer}), in the order they
     * finished.
     *
     * @throws BadDataException if the folder holds no run
     */
    public static Map<Integer, AttackRecord> read(Path dir, int pixels) {
        if (!Files.exists(dir.resolve(SETTINGS)) || !Files.exists(dir.resolve(RECORDS))) {
            throw new BadDataException(dir.toString(), "not an attack run folder: expected " + SETTINGS + " and "
                    + RECORDS + " (made by 'blindspot attack')");
        }
        RunFolder folder = new RunFolder(dir, pixels);
        try {
            folder.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return folder.finished;
    }

    /** Rewrites both files with exactly the loaded examples, dropping pieces cut off by an interruption. */
    private void rewrite() throws IOException {
        StringBuilder text = new StringBuilder();
        for (AttackRecord record : finished.values()) {
            text.append(Json.LINES.writeValueAsString(RecordJson.toMap(record))).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(RECORDS), out -> out.write(bytes));
        AtomicFiles.write(dir.resolve(ROWS), out -> writeRows(out));
    }

    private void writeRows(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
        for (AttackRecord record : finished.values()) {
            data.writeInt(record.index());
            for (float v : record.adversarial()) {
                data.writeFloat(v);
            }
        }
        data.flush();
    }

    private static String difference(JsonNode existing, JsonNode wanted) {
        StringBuilder text = new StringBuilder();
        wanted.fieldNames().forEachRemaining(name -> {
            if (!Objects.equals(existing.get(name), wanted.get(name))) {
                text.append(text.length() == 0 ? "" : ", ").append(name).append(' ')
                        .append(existing.get(name)).append(" -> ").append(wanted.get(name));
            }
        });
        return text.length() == 0 ? "fields differ" : text.toString();
    }

    /** Status names of records, for summaries. */
    static boolean succeeded(AttackRecord record) {
        return record.status() == AttackStatus.SUCCEEDED;
    }
}
