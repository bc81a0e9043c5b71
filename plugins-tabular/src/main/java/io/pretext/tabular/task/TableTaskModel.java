package io.pretext.tabular.task;

import io.pretext.api.EncoderModel;
import io.pretext.api.TaskModel;
import io.pretext.api.data.Example;
import io.pretext.api.model.Batch;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.PreprocessingState;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Tensor;
import io.pretext.tabular.encoding.TableEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of a bound tabular task that does not depend on the pretext objective: parameters of
 * the encoder and the heads, the clean encoder input, and the preprocessing state.
 */
abstract class TableTaskModel implements TaskModel {
    /** Metric: mean over embedding dimensions of the batch standard deviation of the encoder output (collapse shows as 0). */
    static final String EMBEDDING_STD = "embedding-std";

    protected final TableEncoding encoding;
    protected final EncoderModel encoder;
    private final List<ParamSpec> parameters;

    /**
     * @param encoding the column encoding
     * @param encoder the run's encoder
     * @param heads the task's heads
     */
    TableTaskModel(TableEncoding encoding, EncoderModel encoder, List<EncoderModel> heads) {
        this.encoding = encoding;
        this.encoder = encoder;
        List<ParamSpec> all = new ArrayList<>(encoder.parameters());
        heads.forEach(h -> all.addAll(h.parameters()));
        this.parameters = List.copyOf(all);
    }

    @Override
    public final List<ParamSpec> parameters() {
        return parameters;
    }

    @Override
    public final Batch encoderInputs(List<Example> examples) {
        return new Batch(Map.of(ENCODER_INPUT, encoding.encode(examples)));
    }

    @Override
    public final PreprocessingState preprocessingState() {
        return encoding.state();
    }

    /**
     * @param ops the op set
     * @param embeddings [N, D]
     * @return the mean over dimensions of the per-dimension standard deviation over the batch
     */
    static Tensor meanStd(Ops ops, Tensor embeddings) {
        Tensor x = ops.stopGradient(embeddings);
        Tensor centered = ops.sub(x, ops.mean(x, new int[] {0}, true));
        Tensor std = ops.sqrt(ops.add(ops.mean(ops.square(centered), new int[] {0}, false), ops.scalar(1e-12f)));
        return ops.mean(std, new int[0], false);
    }

    /**
     * @param ops the op set
     * @param x a tensor [N, ...]
     * @param from first row
     * @param count rows
     * @return rows {@code from .. from + count} of x
     */
    static Tensor rows(Ops ops, Tensor x, int from, int count) {
        int[] begin = new int[x.shape().rank()];
        int[] size = x.shape().dims();
        begin[0] = from;
        size[0] = count;
        return ops.slice(x, begin, size);
    }
}
