package io.pretext.tabular.task;

import io.pretext.api.PretextApi;
import io.pretext.api.PretextTask;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Modality;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import io.pretext.tabular.encoding.TableEncoding;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tabular pretext tasks share: modality, API version, and an encoder input that is the
 * {@linkplain TableEncoding encoded} row, whose width follows from the schema and options alone.
 */
abstract class TableTask implements PretextTask {
    /** Option of the tasks that corrupt rows: how many training rows to keep for marginal draws. */
    static final String MARGINAL_ROWS = "marginal-rows";

    @Override
    public final Modality modality() {
        return Modality.TABLE;
    }

    @Override
    public final int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public final Shape encoderInputShape(DatasetInfo data, Options options) {
        return Shape.of(TableEncoding.width(TableEncoding.schemaOf(data), options));
    }

    /**
     * @param own the task's own options
     * @return them followed by the encoding options
     */
    static List<OptionSpec> withEncodingOptions(OptionSpec... own) {
        List<OptionSpec> out = new ArrayList<>(List.of(own));
        out.addAll(TableEncoding.OPTIONS);
        return List.copyOf(out);
    }

    /** @return the option declaring the marginal sample size */
    static OptionSpec marginalRowsOption() {
        return OptionSpec.integer(MARGINAL_ROWS, 100_000, "training rows kept (uniform sample) to draw feature marginals from; "
                + "the whole training split when it is smaller");
    }

    /**
     * @param options the task's options
     * @param name a decimal option
     * @param low inclusive lower bound
     * @param high inclusive upper bound
     * @return its value, checked
     */
    static double within(Options options, String name, double low, double high) {
        double v = options.getDouble(name);
        if (!(v >= low && v <= high)) {
            throw new InvalidOptionException("task." + name, "must be in [" + low + ", " + high + "], got " + v);
        }
        return v;
    }

    /**
     * @param options the task's options
     * @param name a decimal option
     * @return its value, checked non-negative
     */
    static double nonNegative(Options options, String name) {
        double v = options.getDouble(name);
        if (!(v >= 0)) {
            throw new InvalidOptionException("task." + name, "must be >= 0, got " + v);
        }
        return v;
    }

    /**
     * @param options the task's options
     * @return the checked marginal sample size
     */
    static int marginalRows(Options options) {
        long v = options.getLong(MARGINAL_ROWS);
        if (v < 1 || v > 10_000_000) {
            throw new InvalidOptionException("task." + MARGINAL_ROWS, "must be in [1, 10000000], got " + v);
        }
        return (int) v;
    }
}
