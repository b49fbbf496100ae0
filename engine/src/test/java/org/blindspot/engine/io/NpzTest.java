package org.blindspot.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NPZ round trips (stored and deflated), NumPy-made archives, bad archives. */
class NpzTest {

    @TempDir
    Path folder;

    @Test
    void readsNumPySavezAndSavezCompressedInOrder() {
        for (String name : List.of("model.npz", "model_compressed.npz")) {
            Map<String, NpyArray> arrays = Npz.read(NpyTest.fixture(name));
            assertEquals(List.of("W1", "b1", "labels"), List.copyOf(arrays.keySet()), name);
            assertArrayEquals(new long[] {2, 3}, arrays.get("W1").shape());
            assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f}, arrays.get("W1").asFloats());
            assertArrayEquals(new float[] {0.5f, -1.25f, 3f}, arrays.get("b1").asFloats());
            assertEquals(NpyDtype.INT64, arrays.get("labels").dtype());
            assertArrayEquals(new int[] {7, 2, 1}, arrays.get("labels").asInts());
        }
    }

    @Test
    void roundTripsStoredAndCompressed() {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        int i = 0;
        for (NpyArray array : NpyTest.oneOfEachDtype()) {
            arrays.put("z" + (9 - i++), array);
        }
        Path stored = folder.resolve("stored.npz");
        Path compressed = folder.resolve("compressed.npz");
        Npz.write(stored, arrays);
        Npz.writeCompressed(compressed, arrays);
        assertEquals(arrays, Npz.read(stored));
        assertEquals(arrays, Npz.read(compressed));
        assertEquals(List.copyOf(arrays.keySet()), List.copyOf(Npz.read(stored).keySet()));
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws IOException {
        Npz.write(folder.resolve("a.npz"), Map.of("x", NpyArray.ofInts(new int[] {1}, 1)));
        try (var files = Files.list(folder)) {
            assertEquals(List.of("a.npz"), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void reportsTruncatedAndGarbledArchives() throws IOException {
        byte[] good = Files.readAllBytes(NpyTest.fixture("model.npz"));
        Path cut = Files.write(folder.resolve("cut.npz"), Arrays.copyOf(good, good.length / 2));
        assertError(cut, "not a readable zip archive");

        Path notZip = Files.write(folder.resolve("text.npz"), "hello".getBytes());
        assertError(notZip, "not a readable zip archive");

        byte[] flipped = good.clone();
        int lastByteOfB1 = indexOf(good, "labels.npy".getBytes()) - 30 - 1;
        flipped[lastByteOfB1] ^= 0x55;
        assertError(Files.write(folder.resolve("flipped.npz"), flipped), "array 'b1': CRC-32 mismatch");

        byte[] compressed = Files.readAllBytes(NpyTest.fixture("model_compressed.npz"));
        int data = indexOf(compressed, "W1.npy".getBytes()) + 6 + 20 + 4;
        for (int i = 0; i < 20; i++) {
            compressed[data + i] = (byte) 0xff;
        }
        BadDataException e = assertThrows(BadDataException.class,
                () -> Npz.read(Files.write(folder.resolve("garbled.npz"), compressed)));
        assertTrue(e.getMessage().contains("array 'W1'"), e.getMessage());
    }

    @Test
    void reportsAnArrayWhoseDataIsShort() throws IOException {
        Path file = folder.resolve("short.npz");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("W1.npy"));
            byte[] npy = Files.readAllBytes(NpyTest.fixture("float32_2x3.npy"));
            zip.write(npy, 0, npy.length - 4);
            zip.closeEntry();
        }
        assertError(file, "array 'W1': truncated data");
    }

    private static void assertError(Path file, String expected) {
        BadDataException e = assertThrows(BadDataException.class, () -> Npz.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }
}
