package io.pretext.api.data;

import io.pretext.api.ApiStatus;
import java.util.List;

/**
 * One feature column of a table.
 *
 * @param name the column's name (from the header, or {@code c1}, {@code c2}, ... without one)
 * @param kind numeric or categorical
 * @param categories the category names in index order (empty for numeric columns)
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record ColumnSpec(String name, Kind kind, List<String> categories) {

    /** How a column's values are interpreted. */
    public enum Kind {
        /** Real values. */
        NUMERIC,
        /** A category index into {@link ColumnSpec#categories()}. */
        CATEGORICAL
    }

    /** Copies the categories. */
    public ColumnSpec {
        categories = List.copyOf(categories);
    }
}
