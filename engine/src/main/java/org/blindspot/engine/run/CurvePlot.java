package org.blindspot.engine.run;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.blindspot.engine.io.AtomicFiles;

/** A PNG line chart of a few named curves over epochs (e.g. test error during training). */
public final class CurvePlot {

    private static final int WIDTH = 480;
    private static final int HEIGHT = 280;
    private static final Color[] COLOURS = {new Color(0x30, 0x60, 0xa0), new Color(0xc0, 0x40, 0x30),
            new Color(0x30, 0x90, 0x40)};

    private CurvePlot() {
    }

    /** Writes the curves (values per epoch 1..n) with a y label. */
    public static void write(Path file, String title, String yLabel, Map<String, List<Double>> curves) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double max = 0;
        int epochs = 1;
        for (List<Double> curve : curves.values()) {
            for (double v : curve) {
                max = Math.max(max, v);
            }
            epochs = Math.max(epochs, curve.size());
        }
        max = max <= 0 ? 1 : max * 1.1;
        int left = 50;
        int right = WIDTH - 15;
        int top = 40;
        int bottom = HEIGHT - 35;
        g.setColor(Color.BLACK);
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(title, left, 14);
        g.drawString(String.format(Locale.ROOT, "%.3f", max), 4, top + 4);
        g.drawString("0", left - 12, bottom + 4);
        g.drawString("epoch", (left + right) / 2 - 15, HEIGHT - 8);
        g.drawString("1", left, bottom + 14);
        g.drawString(String.valueOf(epochs), right - 12, bottom + 14);
        g.drawString(yLabel, 4, top - 12);
        int c = 0;
        for (Map.Entry<String, List<Double>> e : curves.entrySet()) {
            g.setColor(COLOURS[c % COLOURS.length]);
            g.setStroke(new BasicStroke(2));
            List<Double> curve = e.getValue();
            for (int i = 1; i < curve.size(); i++) {
                g.drawLine(x(i - 1, epochs, left, right), y(curve.get(i - 1), max, top, bottom),
                        x(i, epochs, left, right), y(curve.get(i), max, top, bottom));
            }
            g.drawString(e.getKey(), right - 200, top + 14 * (c + 1));
            c++;
        }
        g.dispose();
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer");
            }
        });
    }

    private static int x(int index, int epochs, int left, int right) {
        return epochs <= 1 ? left : left + (int) Math.round((right - left) * index / (double) (epochs - 1));
    }

    private static int y(double value, double max, int top, int bottom) {
        return bottom - (int) Math.round((bottom - top) * value / max);
    }
}
