package io.pretext.runtime.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A plot area with axes, "nice" ticks (steps of 1, 2 or 5 times a power of ten), a title and axis
 * labels, drawn on an in-memory image; data coordinates map to pixels through {@link #x} and
 * {@link #y}. Needs no display (Java2D renders into a {@link BufferedImage} in headless mode).
 */
final class Chart {
    static final Color INK = new Color(0x33, 0x33, 0x33);
    static final Color GRID = new Color(0xe6, 0xe6, 0xe6);

    private static final int LEFT = 72;
    private static final int RIGHT_PLAIN = 24;
    private static final int TOP = 44;
    private static final int BOTTOM = 56;

    private final BufferedImage image;
    private final Graphics2D g;
    private final int width;
    private final int height;
    private final int right;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;

    /**
     * @param width image width in pixels
     * @param height image height in pixels
     * @param rightMargin room on the right (for a legend)
     * @param xRange data range {min, max} of the horizontal axis
     * @param yRange data range {min, max} of the vertical axis
     */
    Chart(int width, int height, int rightMargin, double[] xRange, double[] yRange) {
        this.width = width;
        this.height = height;
        this.right = Math.max(RIGHT_PLAIN, rightMargin);
        double[] xs = padded(xRange);
        double[] ys = padded(yRange);
        this.xMin = xs[0];
        this.xMax = xs[1];
        this.yMin = ys[0];
        this.yMax = ys[1];
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        this.g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }

    /** A degenerate range (one value) is widened so the axis still has extent; a range is padded by 4% each side. */
    private static double[] padded(double[] range) {
        double lo = range[0];
        double hi = range[1];
        if (!(hi > lo)) {
            double w = Math.max(Math.abs(lo) * 0.1, 1e-3);
            lo -= w;
            hi += w;
        }
        double pad = (hi - lo) * 0.04;
        return new double[] {lo - pad, hi + pad};
    }

    /** @return the graphics to draw data with (clip not set) */
    Graphics2D graphics() {
        return g;
    }

    /** @return the right edge of the plot area */
    int plotRight() {
        return width - right;
    }

    /** @return the top edge of the plot area */
    int plotTop() {
        return TOP;
    }

    /**
     * @param v data x
     * @return pixel column
     */
    double x(double v) {
        return LEFT + (v - xMin) / (xMax - xMin) * (width - LEFT - right);
    }

    /**
     * @param v data y
     * @return pixel row
     */
    double y(double v) {
        return height - BOTTOM - (v - yMin) / (yMax - yMin) * (height - TOP - BOTTOM);
    }

    /**
     * Draws grid, axes, ticks and labels.
     *
     * @param title text above the plot
     * @param xLabel label under the horizontal axis
     * @param yLabel label left of the vertical axis
     * @param integerX true when horizontal ticks must be whole numbers (epochs, steps)
     */
    void axes(String title, String xLabel, String yLabel, boolean integerX) {
        int x0 = LEFT;
        int x1 = width - right;
        int y0 = height - BOTTOM;
        int y1 = TOP;
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (double t : ticks(yMin, yMax, false)) {
            int py = (int) Math.round(y(t));
            g.setColor(GRID);
            g.drawLine(x0, py, x1, py);
            g.setColor(INK);
            g.drawLine(x0 - 4, py, x0, py);
            String s = label(t);
            g.drawString(s, x0 - 7 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        for (double t : ticks(xMin, xMax, integerX)) {
            int px = (int) Math.round(x(t));
            g.setColor(GRID);
            g.drawLine(px, y0, px, y1);
            g.setColor(INK);
            g.drawLine(px, y0, px, y0 + 4);
            String s = label(t);
            g.drawString(s, px - fm.stringWidth(s) / 2, y0 + 6 + fm.getAscent());
        }
        g.setColor(INK);
        g.drawRect(x0, y1, x1 - x0, y0 - y1);
        g.drawString(xLabel, (x0 + x1) / 2 - fm.stringWidth(xLabel) / 2, height - 14);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -((y0 + y1) / 2 + fm.stringWidth(yLabel) / 2), 18);
        g.setTransform(saved);
        Font plain = g.getFont();
        // A long title (a data set of several files) shrinks a little, then is cut with an ellipsis.
        float size = 14f;
        g.setFont(plain.deriveFont(Font.BOLD, size));
        while (g.getFontMetrics().stringWidth(title) > width - 16 && size > 11f) {
            size -= 1f;
            g.setFont(plain.deriveFont(Font.BOLD, size));
        }
        String shown = title;
        while (g.getFontMetrics().stringWidth(shown) > width - 16 && shown.length() > 4) {
            shown = shown.substring(0, shown.length() - 2) + "…";
            shown = shown.replace("……", "…");
        }
        FontMetrics bold = g.getFontMetrics();
        g.drawString(shown, Math.max(8, width / 2 - bold.stringWidth(shown) / 2), 26);
        g.setFont(plain);
    }

    /** Ticks at multiples of a step of 1, 2 or 5 times a power of ten, the one nearest a sixth of the range. */
    static List<Double> ticks(double lo, double hi, boolean integers) {
        double raw = (hi - lo) / 6;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = power;
        for (double m : new double[] {2, 5, 10}) {
            // The candidate nearest the raw step on a log scale.
            if (Math.abs(Math.log(m * power / raw)) < Math.abs(Math.log(step / raw))) {
                step = m * power;
            }
        }
        if (integers) {
            step = Math.max(1, Math.round(step));
        }
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
        }
        return out;
    }

    private static String label(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return String.valueOf((long) v);
        }
        double a = Math.abs(v);
        return a >= 1e-3 && a < 1e7 ? String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+$", "") : String.format(Locale.ROOT, "%.1e", v);
    }

    /**
     * Writes the image as PNG, creating the folder when needed.
     *
     * @param file target file
     */
    void write(Path file) {
        g.dispose();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer");
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
