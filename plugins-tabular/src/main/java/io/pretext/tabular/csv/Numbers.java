package io.pretext.tabular.csv;

/**
 * What counts as a number in a CSV cell: an optionally signed decimal with an optional exponent
 * ({@code 12}, {@code -0.5}, {@code .5}, {@code 1e-3}). Stricter than {@link Double#parseDouble},
 * which would also take {@code 1d}, {@code 0x1p3} or {@code Infinity}: such cells make a column
 * categorical rather than silently numeric.
 */
final class Numbers {
    private Numbers() {
    }

    /**
     * @param s a trimmed cell
     * @return true when the cell is a plain decimal number
     */
    static boolean isNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    /**
     * @param s a cell that passed {@link #isNumber}
     * @return its value
     */
    static double parse(String s) {
        return Double.parseDouble(s);
    }

    /**
     * @param s a trimmed cell
     * @return true for an optionally signed run of digits that fits a long
     */
    static boolean isInteger(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (i == n || n - i > 18) {
            return false;
        }
        for (; i < n; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
