package io.pretext.vision.source;

import io.pretext.api.data.Dataset;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/** A data set of images whose passes each source produces its own way (from memory, or reading files again). */
final class ImageDataset implements Dataset {
    private final DatasetInfo info;
    private final Supplier<Iterator<Example>> passes;

    /**
     * @param info the description
     * @param passes makes a fresh pass over the examples
     */
    ImageDataset(DatasetInfo info, Supplier<Iterator<Example>> passes) {
        this.info = info;
        this.passes = passes;
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public Iterator<Example> iterator() {
        return passes.get();
    }

    @Override
    public List<Example> load() {
        List<Example> out = new ArrayList<>(info.size().isPresent() ? Math.toIntExact(info.size().getAsLong()) : 1024);
        iterator().forEachRemaining(out::add);
        return out;
    }
}
