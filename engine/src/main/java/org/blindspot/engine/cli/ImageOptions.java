package org.blindspot.engine.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.data.NpyDataset;
import org.blindspot.engine.data.Split;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which images a command works on: MNIST (split, first N or index ranges) or NPY files. */
final class ImageOptions {

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "test", description = "MNIST split: train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--first", paramLabel = "N", description = "The first N images (after --correct-only filtering).")
    Integer first;

    @Option(names = "--indices", paramLabel = "RANGES", description = "Image indices, e.g. 0-99,250,300-309.")
    String indices;

    @Option(names = "--images", paramLabel = "NPY", description = "Images from an NPY file [N, 784] in [0, 1] (or "
            + "--bounds) instead of MNIST; or an NPZ holding both arrays ('images' or 'x', 'labels' or 'y').")
    Path images;

    @Option(names = "--bounds", paramLabel = "LO,HI", description = "The value range of --images, which is the box the "
            + "adversarial images stay in (default: 0,1; e.g. -1,1 for a model trained on inputs scaled so).")
    String bounds;

    @Option(names = "--labels", paramLabel = "NPY", description = "Labels for --images, an NPY file [N] of integers.")
    Path labels;

    /** The chosen data set (all of it; {@link #select} picks the rows). */
    Dataset dataset() {
        if (images != null && labels == null && images.getFileName().toString().toLowerCase(Locale.ROOT)
                .endsWith(".npz")) {
            float[] range = parseBounds(bounds);
            return NpyDataset.loadNpz(images, range[0], range[1]);
        }
        if (images != null || labels != null) {
            if (images == null || labels == null) {
                throw new IllegalArgumentException("--images and --labels go together (or --images with an NPZ "
                        + "holding both)");
            }
            float[] range = parseBounds(bounds);
            return NpyDataset.load(images, labels, range[0], range[1]);
        }
        if (bounds != null && !(parseBounds(bounds)[0] == 0f && parseBounds(bounds)[1] == 1f)) {
            throw new IllegalArgumentException("--bounds: MNIST's pixels are in [0, 1]; --bounds goes with --images");
        }
        return data.load(Split.parse(split));
    }

    /** Candidate indices in order: --indices, or all; --first is applied by the caller after filtering. */
    int[] candidates(int count) {
        if (indices == null) {
            int[] all = new int[count];
            for (int i = 0; i < count; i++) {
                all[i] = i;
            }
            return all;
        }
        return parseRanges(indices, count);
    }

    /** A description for run settings. */
    Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (images != null) {
            map.put("images", images.toAbsolutePath().normalize().toString());
            if (labels != null) {
                map.put("labels", labels.toAbsolutePath().normalize().toString());
            }
            if (bounds != null) {
                float[] range = parseBounds(bounds);
                map.put("bounds", List.of(range[0], range[1]));
            }
        } else {
            map.put("data", "mnist");
            map.put("split", Split.parse(split).key());
        }
        map.put("indices", indices);
        return map;
    }

    /** "LO,HI" to {lo, hi}, finite with lo < hi; null gives {0, 1}. */
    static float[] parseBounds(String text) {
        if (text == null) {
            return new float[] {0f, 1f};
        }
        String[] parts = text.split(",");
        try {
            if (parts.length == 2) {
                float lo = Float.parseFloat(parts[0].trim());
                float hi = Float.parseFloat(parts[1].trim());
                if (Float.isFinite(lo) && Float.isFinite(hi) && lo < hi) {
                    return new float[] {lo, hi};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--bounds: expected LO,HI with finite LO < HI, got '" + text + "'");
    }

    static int[] parseRanges(String text, int count) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                int dash = p.indexOf('-', 1);
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
                if (from < 0 || to < from || to >= count) {
                    throw new IllegalArgumentException("--indices: range '" + p + "' is outside 0.." + (count - 1)
                            + " or reversed");
                }
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--indices: '" + p + "' is not a number or a range a-b");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
