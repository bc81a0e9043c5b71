package io.pretext.tabular.task;

import io.pretext.api.PretextApi;
import io.pretext.api.PretextTask;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Modality;
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
                + "the whole training split when it is smaller").between(1, 10_000_000);
    }
}
