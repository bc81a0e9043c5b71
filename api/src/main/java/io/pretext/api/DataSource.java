package io.pretext.api;

import io.pretext.api.data.Dataset;
import io.pretext.api.data.Modality;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.OptionType;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import java.nio.file.Path;
import java.util.Map;

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

    /**
     * The options that make this source read {@code file} in place of the data a pretrained
     * encoder was trained on ({@code pretext evaluate --data}, {@code pretext embed}): the file
     * option pointed at it, and whatever belonged to the old data reset (a companion label file, a
     * subset or split of rows), so that every example of the file is read, in the layout
     * pretraining read. The user's own {@code --set} overrides are applied after these.
     *
     * <p>By default the file goes to the first required text option.
     *
     * @param file the file or folder to read, absolute
     * @param trained the options this source had in pretraining
     * @param encoderInput the pretrained encoder's per-example input shape; a source whose
     *     example shape depends on the data (images read "as stored") pins it to this shape
     * @return option values to set in the data section
     * @throws io.pretext.api.error.InvalidOptionException when the source declares no file option
     */
    default Map<String, Object> readInstead(Path file, Options trained, Shape encoderInput) {
        String option = options().stream()
                .filter(o -> o.required() && o.type() == OptionType.TEXT)
                .map(OptionSpec::name)
                .findFirst()
                .orElseThrow(() -> new InvalidOptionException("data", "data source '" + id()
                        + "' declares no required file option; give its options with --set data.KEY=VALUE instead of --data"));
        return Map.of(option, file.toString());
    }
}
