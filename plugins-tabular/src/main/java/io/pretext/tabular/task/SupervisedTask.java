package io.pretext.tabular.task;

import io.pretext.api.EncoderModel;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.LossKind;
import io.pretext.api.TaskContext;
import io.pretext.api.TaskModel;
import io.pretext.api.data.Example;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.Batch;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Objective;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plain supervised training on a labeled table: encoder plus a classifier head (linear by default,
 * an MLP with {@code head-widths}), scored by the configured classification loss (cross-entropy).
 * Pretraining the encoder this way on a related labeled table and then fine-tuning it is transfer
 * learning; the same run also gives the "trained from scratch" baseline that self-supervised
 * pretraining must beat.
 */
public final class SupervisedTask extends TableTask {
    /** Option: hidden widths of the classifier head. */
    public static final String HEAD_WIDTHS = "head-widths";

    /** Batch input: int32 class indices. */
    public static final String LABEL = "label";

    @Override
    public String id() {
        return "supervised";
    }

    @Override
    public String description() {
        return "Supervised baseline: encoder + classifier head trained with cross-entropy on the table's label";
    }

    @Override
    public LossKind lossKind() {
        return LossKind.CLASSIFICATION;
    }

    @Override
    public List<OptionSpec> options() {
        return withEncodingOptions(OptionSpec.integers(HEAD_WIDTHS, List.of(), "hidden widths of the classifier head (empty: linear)")
                .atLeast(1));
    }

    @Override
    public TaskModel bind(TaskContext context, Options options) {
        int classes = context.data().numClasses();
        if (classes < 2) {
            throw new PretextException("pretext task 'supervised' needs a label column with at least two classes; data '"
                    + context.data().name() + "' has " + (classes == 0 ? "no label (set the data source's label option)"
                    : "a single class " + context.data().classNames()));
        }
        TableBinding binding = TableBinding.bind(id(), context, options, 0);
        EncoderModel classifier = Heads.mlp(context.registry(), "classifier", context.encoder().outputShape(),
                Heads.withOutput(options.getLongs(HEAD_WIDTHS), classes));
        return new Model(binding, context.encoder(), classifier, context.loss(), classes);
    }

    /** The supervised task bound to a run. */
    static final class Model extends TableTaskModel {
        private final EncoderModel classifier;
        private final LossFunction loss;
        private final int classes;

        Model(TableBinding binding, EncoderModel encoder, EncoderModel classifier, LossFunction loss, int classes) {
            super(binding.encoding(), encoder, List.of(classifier));
            this.classifier = classifier;
            this.loss = loss;
            this.classes = classes;
        }

        @Override
        public Batch prepare(List<Example> examples, SplittableRandom random) {
            int[] labels = new int[examples.size()];
            for (int i = 0; i < labels.length; i++) {
                int y = examples.get(i).label();
                if (y < 0 || y >= classes) {
                    throw new PretextException("pretext task 'supervised': a training row has " + (y == Example.NO_LABEL ? "no label"
                            : "label " + y + " outside 0.." + (classes - 1)) + "; every training row needs one of the " + classes
                            + " classes");
                }
                labels[i] = y;
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            out.put(ENCODER_INPUT, encoding.encode(examples));
            out.put(LABEL, HostTensor.of(Shape.of(labels.length), labels));
            return new Batch(out);
        }

        @Override
        public Objective objective() {
            return (ops, params, inputs, mode) -> {
                Tensor h = encoder.forward(ops, params, inputs.get(ENCODER_INPUT), mode);
                Tensor logits = classifier.forward(ops, params, h, mode);
                LossOutput out = loss.compute(ops, new LossInputs.Classification(logits, inputs.get(LABEL)));
                Map<String, Tensor> metrics = new HashMap<>(out.metrics());
                metrics.put(EMBEDDING_STD, meanStd(ops, h));
                return new LossOutput(out.loss(), metrics);
            };
        }
    }
}
