package io.pretext.api.data;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.Shape;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What is known about a data set before iterating it.
 *
 * @param name a short name for reports (usually the file name)
 * @param modality the kind of examples
 * @param exampleShape the per-example shape the encoder sees ([columns] for tables, [H, W, C] for images)
 * @param size number of examples when known
 * @param classNames label names in index order; empty when unlabeled
 * @param schema the table schema, for tables
 * @param fingerprint a stable digest of the source content (for provenance), e.g. {@code sha256:...}
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record DatasetInfo(String name, Modality modality, Shape exampleShape, OptionalLong size, List<String> classNames,
                          Optional<TableSchema> schema, String fingerprint) {
    /** Copies the lists. */
    public DatasetInfo {
        classNames = List.copyOf(classNames);
    }

    /** @return the number of classes (0 when unlabeled) */
    public int numClasses() {
        return classNames.size();
    }
}
