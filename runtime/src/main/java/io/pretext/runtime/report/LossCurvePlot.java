package io.pretext.runtime.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.api.error.PretextException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The loss curve of a run as PNG, read from its {@code metrics.jsonl}: the mean loss of each epoch
 * (line with markers) over the per-step losses logged every {@code log-every} steps (thin and light; dots when sparse),
 * against the epoch (steps are placed at their fraction of the epoch).
 */
public final class LossCurvePlot {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Color EPOCH = new Color(0x1f, 0x77, 0xb4);
    private static final Color STEP = new Color(0xa6, 0xc8, 0xe6);

    private LossCurvePlot() {
    }

    /** A point of the curve: x in epochs, y the loss. */
    record Point(double x, double y) {
    }

    /**
     * @param metrics the run's metrics.jsonl
     * @param png the picture to write
     * @param title the title (e.g. the run's name)
     * @throws PretextException when the file cannot be read or holds no finite epoch loss
     */
    public static void write(Path metrics, Path png, String title) {
        List<Point> epochs = new ArrayList<>();
        List<Point> steps = new ArrayList<>();
        read(metrics, epochs, steps);
        if (epochs.isEmpty()) {
            throw new PretextException(metrics + " holds no epoch losses to plot");
        }
        double[] x = {0, epochs.get(epochs.size() - 1).x()};
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (List<Point> series : List.of(epochs, steps)) {
            for (Point p : series) {
                lo = Math.min(lo, p.y());
                hi = Math.max(hi, p.y());
            }
        }
        Chart chart = new Chart(720, 440, 24, x, new double[] {lo, hi});
        chart.axes(title, "epoch", "loss", true);
        Graphics2D g = chart.graphics();
        g.setColor(STEP);
        g.setStroke(new BasicStroke(1f));
        if (steps.size() > 2 * epochs.size()) {
            g.draw(path(chart, steps));
        } else {
            // Few logged steps (log-every larger than an epoch): dots, since a line would suggest a trend between them.
            for (Point p : steps) {
                g.fill(new Ellipse2D.Double(chart.x(p.x()) - 2, chart.y(p.y()) - 2, 4, 4));
            }
        }
        g.setColor(EPOCH);
        g.setStroke(new BasicStroke(2.2f));
        if (epochs.size() > 1) {
            g.draw(path(chart, epochs));
        }
        double r = epochs.size() <= 60 ? 3 : 0;
        for (Point p : epochs) {
            if (r > 0 || epochs.size() == 1) {
                double rr = Math.max(r, 3);
                g.fill(new Ellipse2D.Double(chart.x(p.x()) - rr, chart.y(p.y()) - rr, 2 * rr, 2 * rr));
            }
        }
        Point last = epochs.get(epochs.size() - 1);
        g.setColor(Chart.INK);
        String note = String.format(java.util.Locale.ROOT, "final %.4f", last.y());
        g.drawString(note, chart.plotRight() - g.getFontMetrics().stringWidth(note) - 8, chart.plotTop() + 18);
        chart.write(png);
    }

    private static Path2D path(Chart chart, List<Point> points) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(chart.x(points.get(0).x()), chart.y(points.get(0).y()));
        for (int i = 1; i < points.size(); i++) {
            path.lineTo(chart.x(points.get(i).x()), chart.y(points.get(i).y()));
        }
        return path;
    }

    /** Epoch points at x = epoch; step points at x = (epoch - 1) + their share of that epoch's steps. */
    static void read(Path metrics, List<Point> epochs, List<Point> steps) {
        List<JsonNode> lines = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(metrics)) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new PretextException("cannot read " + metrics + ": " + e.getMessage(), e);
        }
        // Steps at the end of each epoch, to place step lines within their epoch.
        List<long[]> epochEnds = new ArrayList<>();
        for (JsonNode n : lines) {
            if ("epoch".equals(n.path("type").asText()) && n.path("loss").isNumber() && Double.isFinite(n.path("loss").asDouble())) {
                epochs.add(new Point(n.path("epoch").asDouble(), n.path("loss").asDouble()));
                epochEnds.add(new long[] {n.path("epoch").asLong(), n.path("step").asLong()});
            }
        }
        for (JsonNode n : lines) {
            if (!"step".equals(n.path("type").asText()) || !n.path("loss").isNumber() || !Double.isFinite(n.path("loss").asDouble())) {
                continue;
            }
            long epoch = n.path("epoch").asLong();
            long step = n.path("step").asLong();
            long start = 0;
            long end = -1;
            for (long[] e : epochEnds) {
                if (e[0] == epoch - 1) {
                    start = e[1];
                }
                if (e[0] == epoch) {
                    end = e[1];
                }
            }
            double x = end > start ? epoch - 1 + (double) (step - start) / (end - start) : epoch;
            steps.add(new Point(x, n.path("loss").asDouble()));
        }
    }
}
