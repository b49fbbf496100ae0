package org.blindspot.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NPY round trips for every dtype, NumPy-made fixtures (src/scripts/make_npy_fixtures.py), bad files. */
class NpyTest {

    @TempDir
    Path folder;

    static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture npy/" + name, e);
        }
    }

    static List<NpyArray> oneOfEachDtype() {
        return List.of(
                NpyArray.ofFloats(new float[] {0f, -1.5f, Float.MAX_VALUE, Float.NaN, 1e-30f, 7f}, 2, 3),
                NpyArray.ofDoubles(new double[] {Math.PI, -0.0, Double.MIN_VALUE}, 3),
                NpyArray.ofInts(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 2, 1),
                NpyArray.ofLongs(new long[] {Long.MIN_VALUE, 1L << 40, Long.MAX_VALUE}, 3),
                NpyArray.ofUnsignedBytes(new byte[] {0, 1, (byte) 128, (byte) 255}, 4),
                NpyArray.ofBooleans(new boolean[] {true, false, true}, 3, 1),
                NpyArray.ofDoubles(new double[] {2.5}),
                NpyArray.ofFloats(new float[0], 0, 3));
    }

    @Test
    void roundTripsEveryDtype() {
        for (NpyArray array : oneOfEachDtype()) {
            Path file = folder.resolve(array.dtype() + "_" + array.rank() + ".npy");
            Npy.write(file, array);
            NpyArray back = Npy.read(file);
            assertEquals(array, back, array.toString());
            assertArrayEquals(array.shape(), back.shape());
        }
    }

    @Test
    void roundTripsAnArrayLargerThanOneChunk() {
        float[] values = new float[100_003];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        Path file = folder.resolve("big.npy");
        Npy.write(file, NpyArray.ofFloats(values, values.length));
        assertArrayEquals(values, Npy.read(file).asFloats());
    }

    @Test
    void writesDataAlignedTo64BytesLikeNumPy() throws IOException {
        Path file = folder.resolve("a.npy");
        Npy.write(file, NpyArray.ofFloats(new float[6], 2, 3));
        assertEquals(128 + 24, Files.size(file));
    }

    @Test
    void writesTheSameBytesAsNumPy() throws IOException {
        float[] values = {0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f};
        Path file = folder.resolve("same.npy");
        Npy.write(file, NpyArray.ofFloats(values, 2, 3));
        assertArrayEquals(Files.readAllBytes(fixture("float32_2x3.npy")), Files.readAllBytes(file));
    }

    @Test
    void readsNumPyFilesOfEveryDtype() {
        NpyArray floats = Npy.read(fixture("float32_2x3.npy"));
        assertEquals(NpyDtype.FLOAT32, floats.dtype());
        assertArrayEquals(new long[] {2, 3}, floats.shape());
        assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f}, floats.asFloats());

        assertArrayEquals(new double[] {0.5, -1.25, 3.0}, Npy.read(fixture("float64_3.npy")).asDoubles());
        assertArrayEquals(new int[] {1, -2, 3, Integer.MAX_VALUE}, Npy.read(fixture("int32_2x2.npy")).asInts());
        assertArrayEquals(new long[] {-1, 0, 1L << 40}, Npy.read(fixture("int64_3.npy")).asLongs());
        assertArrayEquals(new int[] {0, 1, 128, 255}, Npy.read(fixture("uint8_2x2.npy")).asInts());
        assertArrayEquals(new int[] {1, 0, 0, 1}, Npy.read(fixture("bool_4.npy")).asInts());

        NpyArray scalar = Npy.read(fixture("scalar_float64.npy"));
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.size());
        assertArrayEquals(new double[] {2.5}, scalar.asDoubles());

        NpyArray empty = Npy.read(fixture("empty_float32_0x3.npy"));
        assertArrayEquals(new long[] {0, 3}, empty.shape());
        assertEquals(0, empty.size());
    }

    @Test
    void readsFormatVersion2() {
        assertEquals(Npy.read(fixture("float32_2x3.npy")), Npy.read(fixture("version2_float32_2x3.npy")));
    }

    @Test
    void convertsOnlyWhatTheTargetHoldsExactly() {
        assertThrows(BadDataException.class, () -> NpyArray.ofDoubles(new double[] {0.5}, 1).asInts());
        assertThrows(BadDataException.class, () -> NpyArray.ofLongs(new long[] {1L << 40}, 1).asInts());
        assertThrows(BadDataException.class, () -> NpyArray.ofInts(new int[] {(1 << 24) + 1}, 1).asFloats());
        assertThrows(BadDataException.class, () -> NpyArray.ofDoubles(new double[] {1e300}, 1).asFloats());
        assertArrayEquals(new float[] {0.1f}, NpyArray.ofDoubles(new double[] {0.1}, 1).asFloats());
        assertArrayEquals(new int[] {3, -4}, NpyArray.ofFloats(new float[] {3f, -4f}, 2).asInts());
        BadDataException e = assertThrows(BadDataException.class,
                () -> Npy.read(fixture("int64_3.npy")).asInts());
        assertTrue(e.getMessage().contains("element 2"), e.getMessage());
    }

    @Test
    void factoriesCheckTheShapeAndCopy() {
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofFloats(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofFloats(new float[0], -1));
        float[] values = {1f, 2f};
        NpyArray array = NpyArray.ofFloats(values, 2);
        values[0] = 9f;
        array.asFloats()[1] = 9f;
        assertArrayEquals(new float[] {1f, 2f}, array.asFloats());
    }

    @Test
    void refusesFortranOrderBigEndianObjectAndOtherTypes() {
        assertError(fixture("fortran_float64_2x3.npy"), "Fortran-order");
        assertError(fixture("bigendian_float32_3.npy"), "big-endian float32 ('>f4')");
        assertError(fixture("object_2.npy"), "object array");
        assertError(fixture("float16_3.npy"), "unsupported dtype '<f2'");
    }

    @Test
    void reportsTruncatedAndGarbledFiles() throws IOException {
        byte[] good = Files.readAllBytes(fixture("float32_2x3.npy"));
        assertError(write("empty.npy", new byte[0]), "empty file");
        assertError(write("cut-magic.npy", Arrays.copyOf(good, 7)), "truncated header");
        assertError(write("cut-header.npy", Arrays.copyOf(good, 40)), "truncated header: it announces 118 bytes");
        assertError(write("cut-data.npy", Arrays.copyOf(good, good.length - 1)),
                "truncated data: shape (2, 3) of float32 needs 24 bytes but the file holds 23");
        assertError(write("trailing.npy", Arrays.copyOf(good, good.length + 3)), "3 trailing bytes");

        byte[] notNpy = good.clone();
        notNpy[1] = 'X';
        assertError(write("magic.npy", notNpy), "not an NPY file");

        byte[] version = good.clone();
        version[6] = 9;
        assertError(write("version.npy", version), "version 9.0 is not supported");

        String header = new String(good, 10, 118, java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] garbled = good.clone();
        int at = 10 + header.indexOf("(2, 3)");
        garbled[at] = '?';
        assertError(write("garbled.npy", garbled), "garbled NPY header");

        byte[] wrongShape = good.clone();
        wrongShape[at + 1] = '3';
        assertError(write("shape.npy", wrongShape), "needs 36 bytes but the file holds 24");
    }

    @Test
    void refusesAHugeShapeBeforeAllocatingIt() throws IOException {
        byte[] header = Npy.headerBytes(NpyDtype.FLOAT64, new long[] {1_000_000_000L});
        Path file = write("huge.npy", Arrays.copyOf(header, header.length + 24));
        assertError(file, "truncated data: shape (1000000000,) of float64 needs 8000000000 bytes but the file holds 24");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = folder.resolve("kept.npy");
        Npy.write(file, NpyArray.ofInts(new int[] {42}, 1));
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> AtomicFiles.write(file, out -> {
                    out.write(new byte[1000]);
                    throw new IOException("disk full");
                }));
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertArrayEquals(new int[] {42}, Npy.read(file).asInts());
        try (var files = Files.list(folder)) {
            assertEquals(List.of("kept.npy"), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void namesTheStreamInErrors() {
        BadDataException e = assertThrows(BadDataException.class,
                () -> Npy.read("weights.npz, array 'W1'", new ByteArrayInputStream(new byte[] {(byte) 0x93, 'N'})));
        assertTrue(e.getMessage().startsWith("weights.npz, array 'W1': truncated header"), e.getMessage());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(folder.resolve(name), bytes);
    }

    private static void assertError(Path file, String expected) {
        BadDataException e = assertThrows(BadDataException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
