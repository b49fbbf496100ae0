package org.blindspot.engine.paper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.run.ImageGrid;

/** The section 3 figures: one grid row per direction, its top images left to right. */
public final class UnitGrids {

    private UnitGrids() {
    }

    /** Writes {@code <name>-units.png} and {@code <name>-random.png} in {@code dir}. */
    public static void write(Path dir, String name, UnitAnalysis.Result result, Dataset images, int directions) {
        ImageGrid.write(dir.resolve(name + "-units.png"), rows(result.unitTop(), images, directions), images.height(), 2);
        ImageGrid.write(dir.resolve(name + "-random.png"), rows(result.randomTop(), images, directions),
                images.height(), 2);
    }

    private static List<List<float[]>> rows(List<int[]> tops, Dataset images, int directions) {
        List<List<float[]>> rows = new ArrayList<>();
        for (int d = 0; d < Math.min(directions, tops.size()); d++) {
            List<float[]> row = new ArrayList<>();
            for (int index : tops.get(d)) {
                row.add(images.image(index));
            }
            rows.add(row);
        }
        return rows;
    }
}
