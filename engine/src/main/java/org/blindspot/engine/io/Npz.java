package org.blindspot.engine.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NPZ archives: zip files of {@code name.npy} entries, as {@code numpy.savez}
 * (entries stored) and {@code numpy.savez_compressed} (entries deflated) write them.
 *
 * <p>Arrays keep the archive's order. Every entry must be an {@code .npy} array; each entry's
 * CRC-32 is checked. Errors are {@link BadDataException}s naming the archive and the array, e.g.
 * {@code "model.npz, array 'W1': truncated data: ..."}.
 */
public final class Npz {

    private static final String SUFFIX = ".npy";

    private Npz() {
    }

    /** The arrays of {@code file}, by name (the entry name without {@code .npy}), in archive order. */
    public static Map<String, NpyArray> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException("no such file: " + file, new NoSuchFileException(file.toString()));
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new BadDataException(file.toString(), "not a readable zip archive (truncated or not an NPZ file): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try (zip) {
            return readEntries(file.toString(), zip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, NpyArray> readEntries(String archive, ZipFile zip) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            if (entry.isDirectory()) {
                continue;
            }
            if (!entry.getName().endsWith(SUFFIX)) {
                throw new BadDataException(archive, "entry '" + entry.getName()
                        + "' is not an array, expected only name.npy entries");
            }
            String name = entry.getName().substring(0, entry.getName().length() - SUFFIX.length());
            if (arrays.containsKey(name)) {
                throw new BadDataException(archive, "array '" + name + "' appears twice");
            }
            arrays.put(name, readEntry(archive + ", array '" + name + "'", zip, entry));
        }
        return arrays;
    }

    private static NpyArray readEntry(String source, ZipFile zip, ZipEntry entry) throws IOException {
        CRC32 crc = new CRC32();
        NpyArray array;
        try (InputStream in = new CheckedInputStream(new BufferedInputStream(zip.getInputStream(entry), 1 << 16), crc)) {
            array = Npy.read(source, in, entry.getSize());
        } catch (ZipException | EOFException e) {
            throw new BadDataException(source, "corrupt compressed data: " + e.getMessage(), e);
        }
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
            throw new BadDataException(source, String.format("CRC-32 mismatch: the archive says %08x, the data give %08x",
                    entry.getCrc(), crc.getValue()));
        }
        return array;
    }

    /** Writes {@code arrays} to {@code file} with stored entries, like {@code numpy.savez}; atomic. */
    public static void write(Path file, Map<String, NpyArray> arrays) {
        AtomicFiles.write(file, out -> write(out, arrays, false));
    }

    /** Writes {@code arrays} to {@code file} with deflated entries, like {@code numpy.savez_compressed}; atomic. */
    public static void writeCompressed(Path file, Map<String, NpyArray> arrays) {
        AtomicFiles.write(file, out -> write(out, arrays, true));
    }

    private static void write(OutputStream out, Map<String, NpyArray> arrays, boolean compressed) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setMethod(compressed ? ZipOutputStream.DEFLATED : ZipOutputStream.STORED);
        for (Map.Entry<String, NpyArray> named : arrays.entrySet()) {
            if (named.getKey().isEmpty()) {
                throw new IllegalArgumentException("NPZ array names must not be empty");
            }
            ZipEntry entry = new ZipEntry(named.getKey() + SUFFIX);
            if (compressed) {
                zip.putNextEntry(entry);
                Npy.write(zip, named.getValue());
            } else {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                Npy.write(bytes, named.getValue());
                CRC32 crc = new CRC32();
                crc.update(bytes.toByteArray());
                entry.setSize(bytes.size());
                entry.setCompressedSize(bytes.size());
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                bytes.writeTo(zip);
            }
            zip.closeEntry();
        }
        zip.finish();
    }
}
