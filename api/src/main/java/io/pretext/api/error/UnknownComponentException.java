package io.pretext.api.error;

import io.pretext.api.ApiStatus;
import java.util.Comparator;
import java.util.List;

/** An id that no provider of the requested SPI answers to; the message lists the known ids. */
@ApiStatus(ApiStatus.Status.STABLE)
public final class UnknownComponentException extends PretextException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final String id;
    private final List<String> knownIds;

    /**
     * @param kind the user-facing name of the SPI, e.g. "pretext task"
     * @param id the id that was asked for
     * @param knownIds the ids that are available for that SPI
     */
    public UnknownComponentException(String kind, String id, List<String> knownIds) {
        super(message(kind, id, knownIds));
        this.kind = kind;
        this.id = id;
        this.knownIds = List.copyOf(knownIds);
    }

    /** @return the user-facing SPI name */
    public String kind() {
        return kind;
    }

    /** @return the id that was not found */
    public String id() {
        return id;
    }

    /** @return the ids that exist for this SPI */
    public List<String> knownIds() {
        return knownIds;
    }

    private static String message(String kind, String id, List<String> known) {
        StringBuilder sb = new StringBuilder("unknown ").append(kind).append(" '").append(id).append("'; known: ");
        sb.append(known.isEmpty() ? "(none on the classpath)" : String.join(", ", known.stream().sorted().toList()));
        Suggestions.closest(id, known).ifPresent(s -> sb.append("; did you mean '").append(s).append("'?"));
        return sb.toString();
    }

    /** Edit-distance suggestions for misspelled ids and option names. */
    @ApiStatus(ApiStatus.Status.EXPERIMENTAL)
    public static final class Suggestions {
        private Suggestions() {
        }

        /**
         * @param wanted what the user typed
         * @param candidates what exists
         * @return the closest candidate within an edit distance of a third of its length, if any
         */
        public static java.util.Optional<String> closest(String wanted, List<String> candidates) {
            return candidates.stream()
                    .filter(c -> distance(wanted, c) <= Math.max(2, c.length() / 3))
                    .min(Comparator.comparingInt(c -> distance(wanted, c)));
        }

        /** Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment). */
        static int distance(String a, String b) {
            int[][] d = new int[a.length() + 1][b.length() + 1];
            for (int i = 0; i <= a.length(); i++) {
                d[i][0] = i;
            }
            for (int j = 0; j <= b.length(); j++) {
                d[0][j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                    if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                    }
                }
            }
            return d[a.length()][b.length()];
        }
    }
}
