package io.pretext.runtime.report;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A 2-D picture of embeddings: their projection on the first two principal components, one dot
 * per example coloured by its label, with a legend of class names and the share of variance the
 * two components carry.
 */
public final class EmbeddingPlot {
    /** Matplotlib's "tab10" palette; more classes get evenly spaced hues. */
    private static final int[] PALETTE = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22,
        0x17becf};
    private static final int LEGEND_ROWS = 30;

    private EmbeddingPlot() {
    }

    /**
     * @param classIndex a class index (negative for unlabeled)
     * @param classes number of classes
     * @return its colour
     */
    static Color colour(int classIndex, int classes) {
        if (classIndex < 0) {
            return Color.GRAY;
        }
        if (classes <= PALETTE.length) {
            return new Color(PALETTE[classIndex]);
        }
        return Color.getHSBColor((float) classIndex / classes, 0.75f, 0.85f);
    }

    /**
     * @param png the picture to write
     * @param embeddings one row per example
     * @param labels class index per example ({@code -1} for none)
     * @param classNames names by class index
     * @param title the title
     * @return the projection drawn
     */
    public static Pca.Projection write(Path png, float[][] embeddings, int[] labels, List<String> classNames, String title) {
        if (embeddings.length != labels.length) {
            throw new IllegalArgumentException(embeddings.length + " embeddings but " + labels.length + " labels");
        }
        int components = Math.min(2, embeddings[0].length);
        Pca.Projection p = Pca.project(embeddings, components);
        double[][] xy = p.coordinates();
        double[] xr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] yr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] c : xy) {
            double y = components > 1 ? c[1] : 0;
            xr[0] = Math.min(xr[0], c[0]);
            xr[1] = Math.max(xr[1], c[0]);
            yr[0] = Math.min(yr[0], y);
            yr[1] = Math.max(yr[1], y);
        }
        int classes = classNames.size();
        int legendWidth = classes == 0 ? 24 : 150;
        Chart chart = new Chart(760, 600, legendWidth, xr, yr);
        String xLabel = String.format(Locale.ROOT, "PC1 (%.1f%% of variance)", 100 * p.explainedVariance()[0]);
        String yLabel = components > 1 ? String.format(Locale.ROOT, "PC2 (%.1f%% of variance)", 100 * p.explainedVariance()[1]) : "";
        chart.axes(title, xLabel, yLabel, false);
        Graphics2D g = chart.graphics();
        double r = xy.length > 5000 ? 1.6 : xy.length > 1000 ? 2.2 : 3.0;
        // Translucent dots, drawn in a fixed interleaved order so no class hides the others systematically.
        for (int k = 0; k < xy.length; k++) {
            int i = (int) ((k * 2654435761L) % xy.length);
            Color c = colour(labels[i], classes);
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 170));
            double y = components > 1 ? xy[i][1] : 0;
            g.fill(new Ellipse2D.Double(chart.x(xy[i][0]) - r, chart.y(y) - r, 2 * r, 2 * r));
        }
        if (classes > 0) {
            FontMetrics fm = g.getFontMetrics();
            int x = chart.plotRight() + 16;
            int y = chart.plotTop() + 4;
            int shown = Math.min(classes, LEGEND_ROWS);
            for (int c = 0; c < shown; c++) {
                g.setColor(colour(c, classes));
                g.fill(new Ellipse2D.Double(x, y + c * 18 + 3, 9, 9));
                g.setColor(Chart.INK);
                String name = classNames.get(c);
                g.drawString(name.length() > 16 ? name.substring(0, 15) + "…" : name, x + 16, y + c * 18 + fm.getAscent());
            }
            if (classes > shown) {
                g.drawString("+" + (classes - shown) + " more", x + 16, y + shown * 18 + fm.getAscent());
            }
        }
        chart.write(png);
        return p;
    }
}
