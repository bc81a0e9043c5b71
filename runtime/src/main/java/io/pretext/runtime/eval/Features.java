package io.pretext.runtime.eval;

import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import java.util.Arrays;

/** Input checks shared by the evaluation protocols, so every protocol rejects bad input alike. */
final class Features {
    private Features() {}

    /**
     * @param op the protocol or step that checks, named in the message
     * @param rows a non-empty rectangular matrix of finite values
     * @return its width
     */
    static int width(String op, float[][] rows) {
        if (rows == null || rows.length == 0) {
            throw new ShapeException(op, "no rows; need at least one");
        }
        if (rows[0] == null) {
            throw new ShapeException(op, "row 0 is null");
        }
        int width = rows[0].length;
        if (width == 0) {
            throw new ShapeException(op, "rows have no columns");
        }
        for (int i = 0; i < rows.length; i++) {
            float[] row = rows[i];
            if (row == null || row.length != width) {
                throw new ShapeException(op, "row " + i + " has " + (row == null ? "no" : row.length)
                        + " columns, row 0 has " + width + " (rows must be rectangular)");
            }
            for (int j = 0; j < width; j++) {
                if (!Float.isFinite(row[j])) {
                    throw new PretextException(op + ": row " + i + ", column " + j + " is " + row[j]
                            + "; features must be finite (impute or drop missing values first)");
                }
            }
        }
        return width;
    }

    /** Checks that there is one label per row. */
    static void sameLength(String op, float[][] rows, int[] labels) {
        if (labels == null) {
            throw new ShapeException(op, "labels are null");
        }
        if (rows.length != labels.length) {
            throw new ShapeException(op, rows.length + " feature rows but " + labels.length + " labels");
        }
    }

    /**
     * @param labels class labels (any ints)
     * @return the distinct labels in ascending order
     */
    static int[] classes(int[] labels) {
        return Arrays.stream(labels).distinct().sorted().toArray();
    }

    /**
     * @param labels class labels
     * @param classes the sorted distinct labels
     * @return each label's index in {@code classes}
     */
    static int[] indexOf(int[] labels, int[] classes) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = Arrays.binarySearch(classes, labels[i]);
        }
        return out;
    }
}
