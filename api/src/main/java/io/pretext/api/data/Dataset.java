package io.pretext.api.data;

import io.pretext.api.ApiStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An opened data set. Iteration streams from the source, so a file larger than memory can be used
 * for pretraining; {@link #iterator()} may be called once per epoch.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface Dataset extends Iterable<Example>, AutoCloseable {

    /** @return what is known about the data */
    DatasetInfo info();

    /**
     * @return a fresh pass over every example, in source order
     * @throws io.pretext.api.error.DataFormatException naming file, line and column on bad data
     */
    @Override
    Iterator<Example> iterator();

    /** @return every example in memory (only for data that fits) */
    default List<Example> load() {
        List<Example> out = new ArrayList<>();
        iterator().forEachRemaining(out::add);
        return out;
    }

    /** Releases file handles; the default holds none. */
    @Override
    default void close() {
    }
}
