package io.pretext.tabular.csv;

import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.Modality;
import io.pretext.api.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * One split of a scanned CSV file. Iterating reads the file again (one record at a time), so
 * memory does not grow with the file; {@link #close()} closes passes left unfinished.
 */
final class CsvDataset implements Dataset {
    private final CsvLayout layout;
    private final CsvRowIterator.Split split;
    private final TestSelection selection;
    private final boolean stratified;
    private final DatasetInfo info;
    private final Set<CsvRowIterator> open = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * @param layout the scanned file
     * @param split which rows this data set holds
     * @param selection the held-out rows
     * @param stratified true when the selection is per class
     */
    CsvDataset(CsvLayout layout, CsvRowIterator.Split split, TestSelection selection, boolean stratified) {
        this.layout = layout;
        this.split = split;
        this.selection = selection;
        this.stratified = stratified;
        long size = switch (split) {
            case ALL -> layout.rows();
            case TEST -> selection.testRows();
            case TRAIN -> layout.rows() - selection.testRows();
        };
        this.info = new DatasetInfo(layout.file().getFileName().toString(), Modality.TABLE, Shape.of(layout.schema().width()),
                OptionalLong.of(size), layout.classNames(), Optional.of(layout.schema()), layout.fingerprint());
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public Iterator<Example> iterator() {
        CsvRowIterator it = new CsvRowIterator(layout, split, selection, stratified);
        open.add(it);
        return it;
    }

    @Override
    public List<Example> load() {
        List<Example> out = new ArrayList<>(Math.toIntExact(info.size().orElse(16)));
        iterator().forEachRemaining(out::add);
        return out;
    }

    /** @return the number of malformed rows the scan skipped (0 unless {@code on-bad-row: skip}) */
    long skippedRows() {
        return layout.skippedRows();
    }

    /** @return the layout found by the scan (for tests in this package) */
    CsvLayout layout() {
        return layout;
    }

    @Override
    public void close() {
        List<CsvRowIterator> toClose;
        synchronized (open) {
            toClose = new ArrayList<>(open);
            open.clear();
        }
        toClose.forEach(CsvRowIterator::close);
    }
}
