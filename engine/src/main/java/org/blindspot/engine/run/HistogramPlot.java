package org.blindspot.engine.run;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.blindspot.engine.io.AtomicFiles;

/** A PNG histogram of values (distortions), with its axis range, count and mean written on it. */
public final class HistogramPlot {

    private static final int WIDTH = 360;
    private static final int HEIGHT = 220;
    private static final int BINS = 24;

    private HistogramPlot() {
    }

    /** Writes a histogram of {@code values} over [0, max] with a title. */
    public static void write(Path file, String title, double[] values, double max) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int[] counts = new int[BINS];
        double sum = 0;
        for (double v : values) {
            int bin = (int) Math.min(BINS - 1, Math.max(0, Math.floor(v / max * BINS)));
            counts[bin]++;
            sum += v;
        }
        int top = 1;
        for (int c : counts) {
            top = Math.max(top, c);
        }
        int left = 30;
        int bottom = HEIGHT - 30;
        int plotHeight = bottom - 40;
        int barWidth = (WIDTH - left - 10) / BINS;
        g.setColor(new Color(0x30, 0x60, 0xa0));
        for (int b = 0; b < BINS; b++) {
            int h = (int) Math.round(plotHeight * counts[b] / (double) top);
            g.fillRect(left + b * barWidth, bottom - h, barWidth - 1, h);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, bottom, WIDTH - 10, bottom);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("0", left - 3, bottom + 14);
        g.drawString(String.format(Locale.ROOT, "%.2f", max), WIDTH - 40, bottom + 14);
        g.drawString("RMS distortion", WIDTH / 2 - 35, bottom + 26);
        g.drawString(String.format(Locale.ROOT, "%s: n = %d, mean %.4f", title, values.length,
                values.length == 0 ? 0 : sum / values.length), 8, 16);
        g.dispose();
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer");
            }
        });
    }
}
