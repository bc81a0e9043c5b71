package io.pretext.runtime.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The references' three tables, copied as given into test resources, with a
 * test-only parser that knows each file's layout (the real CSV source lives in plugins-tabular,
 * which runtime must not depend on).
 */
final class ReferenceTables {
    private ReferenceTables() {}

    /** Features and labels of one table. */
    record Table(String name, float[][] x, int[] y) {}

    /** UCI Letter Recognition: no header, the letter first, then 16 integer features. */
    static Table letter() {
        List<String> lines = lines("letter-recognition.csv.gz");
        return parse("letter", lines, 0, cell -> cell.charAt(0) - 'A');
    }

    /**
     * scikit-learn's breast_cancer.csv: the first line is sklearn's "n_samples,n_features,class
     * names" header (569,30,malignant,benign), then 30 features and the 0/1 target last.
     */
    static Table breastCancer() {
        List<String> lines = lines("breast_cancer.csv");
        return parse("breast_cancer", lines.subList(1, lines.size()), -1, Integer::parseInt);
    }

    /** scikit-learn's iris.csv: the "150,4,setosa,versicolor,virginica" line, then 4 features and the class. */
    static Table iris() {
        List<String> lines = lines("iris.csv");
        return parse("iris", lines.subList(1, lines.size()), -1, Integer::parseInt);
    }

    /** scikit-learn's digits.csv.gz: no header, 64 pixel values 0..16 then the digit. */
    static Table digits() {
        List<String> lines = lines("digits.csv.gz");
        return parse("digits", lines, -1, cell -> (int) Double.parseDouble(cell));
    }

    private interface LabelParser {
        int parse(String cell);
    }

    /** @param labelColumn 0 for the first column, -1 for the last */
    private static Table parse(String name, List<String> lines, int labelColumn, LabelParser label) {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.trim().split(",");
            int labelAt = labelColumn >= 0 ? labelColumn : cells.length - 1;
            float[] row = new float[cells.length - 1];
            int j = 0;
            for (int c = 0; c < cells.length; c++) {
                if (c != labelAt) {
                    row[j++] = Float.parseFloat(cells[c].trim());
                }
            }
            rows.add(row);
            labels.add(label.parse(cells[labelAt].trim()));
        }
        return new Table(name, rows.toArray(float[][]::new), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<String> lines(String resource) {
        try (InputStream raw = ReferenceTables.class.getResourceAsStream("/eval/" + resource)) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource /eval/" + resource);
            }
            InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                return reader.lines().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
