package io.pretext.hygiene;

import java.util.ArrayList;
import java.util.List;

/** The comments of a source file, found by a small lexer per language (strings and text blocks are not comments). */
final class Comments {

    /**
     * One comment.
     *
     * @param line the 1-based line it starts on
     * @param text its text, delimiters included
     */
    record Comment(int line, String text) {
    }

    private Comments() {
    }

    /**
     * @param source Java source text
     * @return its line, block and documentation comments, in order
     */
    static List<Comment> java(String source) {
        List<Comment> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                int end = source.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.add(new Comment(line, source.substring(i, end)));
                i = end;
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                String text = source.substring(i, end);
                out.add(new Comment(line, text));
                line += count(text, '\n');
                i = end;
            } else if (c == '"' && source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && escaped(source, end)) {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end + 3;
                line += count(source.substring(i, end), '\n');
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                i = Math.min(n, end + 1);
            } else {
                if (c == '\n') {
                    line++;
                }
                i++;
            }
        }
        return out;
    }

    /**
     * Comments that run from {@code #} to the end of the line (YAML, shell, Python, properties): a
     * {@code #} at the start of a line or after a blank, outside quotes.
     *
     * @param source the file's text
     * @return one comment per commented line
     */
    static List<Comment> hash(String source) {
        List<Comment> out = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int l = 0; l < lines.length; l++) {
            String s = lines[l];
            char quote = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else if (c == '\\') {
                        i++;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
                    out.add(new Comment(l + 1, s.substring(i)));
                    break;
                }
            }
        }
        return out;
    }

    /**
     * @param source Python source text
     * @return its {@code #} comments and its triple-quoted strings (docstrings)
     */
    static List<Comment> python(String source) {
        List<Comment> out = new ArrayList<>(hash(source));
        int i = source.indexOf("\"\"\"");
        while (i >= 0) {
            int end = source.indexOf("\"\"\"", i + 3);
            end = end < 0 ? source.length() : end + 3;
            out.add(new Comment(1 + count(source.substring(0, i), '\n'), source.substring(i, end)));
            i = end < source.length() ? source.indexOf("\"\"\"", end) : -1;
        }
        return out;
    }

    /**
     * @param source XML text (a pom)
     * @return its {@code <!-- -->} comments and {@code <description>} texts
     */
    static List<Comment> xml(String source) {
        List<Comment> out = new ArrayList<>();
        for (String[] delimiters : new String[][] {{"<!--", "-->"}, {"<description>", "</description>"}}) {
            int i = source.indexOf(delimiters[0]);
            while (i >= 0) {
                int end = source.indexOf(delimiters[1], i);
                end = end < 0 ? source.length() : end + delimiters[1].length();
                out.add(new Comment(1 + count(source.substring(0, i), '\n'), source.substring(i, end)));
                i = source.indexOf(delimiters[0], end);
            }
        }
        return out;
    }

    private static boolean escaped(String s, int at) {
        int backslashes = 0;
        for (int j = at - 1; j >= 0 && s.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static int count(String s, char c) {
        int k = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                k++;
            }
        }
        return k;
    }
}
