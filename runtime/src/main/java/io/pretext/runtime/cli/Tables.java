package io.pretext.runtime.cli;

import java.io.PrintWriter;
import java.util.List;

/** Plain-text aligned tables for the terminal. */
final class Tables {

    private Tables() {
    }

    static String title(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Prints rows under headers, columns padded; empty header columns that are empty in every row are dropped. */
    static void print(PrintWriter out, List<String> headers, List<List<String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int n = headers.size();
        int[] width = new int[n];
        boolean[] used = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = headers.get(c).length();
            used[c] = !headers.get(c).isEmpty();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
                used[c] |= !r.get(c).isEmpty();
            }
        }
        line(out, headers, width, used);
        for (List<String> r : rows) {
            line(out, r, width, used);
        }
    }

    private static void line(PrintWriter out, List<String> cells, int[] width, boolean[] used) {
        StringBuilder sb = new StringBuilder("  ");
        for (int c = 0; c < cells.size(); c++) {
            if (!used[c]) {
                continue;
            }
            sb.append(String.format("%-" + width[c] + "s", cells.get(c))).append("  ");
        }
        out.println(sb.toString().stripTrailing());
    }
}
