package io.pretext.api.data;

import io.pretext.api.ApiStatus;
import java.util.List;

/**
 * The feature columns of a table (the label column excluded).
 *
 * @param columns feature columns in order
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record TableSchema(List<ColumnSpec> columns) {
    /** Copies the columns. */
    public TableSchema {
        columns = List.copyOf(columns);
    }

    /** @return the number of feature columns */
    public int width() {
        return columns.size();
    }
}
