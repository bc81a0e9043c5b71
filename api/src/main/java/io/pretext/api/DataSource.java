package io.pretext.api;

import io.pretext.api.data.Dataset;
import io.pretext.api.data.Modality;
import io.pretext.api.option.Options;
import java.nio.file.Path;

/**
 * Reads a user's data into examples of one modality (CSV tables, image folders, IDX files, text,
 * video), streaming where the data is larger than memory.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public non-sealed interface DataSource extends Provider {

    /** @return the modality of the examples it yields */
    Modality modality();

    /**
     * @param options validated options (path, separator, label column...)
     * @param baseDirectory directory that relative paths in the options are resolved against
     * @return the opened data set
     * @throws io.pretext.api.error.DataFormatException naming file, line and column on bad data
     */
    Dataset open(Options options, Path baseDirectory);
}
