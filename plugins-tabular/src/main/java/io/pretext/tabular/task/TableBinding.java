package io.pretext.tabular.task;

import io.pretext.api.TaskContext;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import io.pretext.tabular.encoding.ColumnStatistics;
import io.pretext.tabular.encoding.TableEncoding;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every tabular task needs from the run's training split: the column encoding (fitted on
 * it, or restored from a checkpoint's preprocessing state) and, for tasks that corrupt rows, a
 * sample of training rows to draw feature marginals from. Both come from one pass over the data.
 *
 * @param encoding the column encoding
 * @param marginals the training-row sample (computed on first use when the encoding was restored)
 */
record TableBinding(TableEncoding encoding, Supplier<MarginalSample> marginals) {
    private static final Logger LOG = LoggerFactory.getLogger(TableBinding.class);

    /**
     * @param task the task id, for messages
     * @param context the run
     * @param options the task's options (with the encoding options)
     * @param marginalRows the most training rows kept for marginal draws, or 0 when the task needs none
     * @return the binding
     * @throws ShapeException when the encoder was built for another input width
     */
    static TableBinding bind(String task, TaskContext context, Options options, int marginalRows) {
        if (context.data().modality() != Modality.TABLE) {
            throw new PretextException("pretext task '" + task + "' trains on tables; data '" + context.data().name() + "' is "
                    + context.data().modality());
        }
        TableSchema schema = TableEncoding.schemaOf(context.data());
        long seed = context.seed() ^ 0x5CA4F00DL;
        if (context.savedPreprocessing().isPresent()) {
            // the trained encoding decides the width: new data may hold fewer or other categories
            TableEncoding encoding;
            try {
                encoding = TableEncoding.restore(schema, options, context.savedPreprocessing().get());
            } catch (PretextException e) {
                throw new PretextException("data '" + context.data().name() + "': " + e.getMessage(), e);
            }
            checkEncoderWidth(task, context, Shape.of(encoding.width()));
            Supplier<MarginalSample> marginals = new Lazy<>(() -> {
                MarginalSample.Builder b = new MarginalSample.Builder(schema.width(), Math.max(1, marginalRows), seed);
                context.trainingData().forEach(e -> b.accept(TableEncoding.row(e)));
                return b.build();
            });
            return new TableBinding(encoding, marginals);
        }
        Shape expected = Shape.of(TableEncoding.width(schema, options));
        checkEncoderWidth(task, context, expected);
        ColumnStatistics fitter = TableEncoding.fitter(schema, options);
        MarginalSample.Builder sample = marginalRows > 0 ? new MarginalSample.Builder(schema.width(), marginalRows, seed) : null;
        long rows = 0;
        for (Example e : context.trainingData()) {
            float[] row = TableEncoding.row(e);
            fitter.accept(row);
            if (sample != null) {
                sample.accept(row);
            }
            rows++;
        }
        if (rows == 0) {
            throw new PretextException("pretext task '" + task + "': the training split of '" + context.data().name() + "' is empty");
        }
        LOG.debug("{}: fitted the encoding ({} columns -> {} inputs) on {} training rows", task, schema.width(), expected, rows);
        MarginalSample built = sample == null ? null : sample.build();
        return new TableBinding(fitter.finish(), Lazy.of(built));
    }

    private static void checkEncoderWidth(String task, TaskContext context, Shape encoded) {
        if (!context.encoder().inputShape().equals(encoded)) {
            throw new ShapeException(task, "the encoder takes " + context.encoder().inputShape() + " per row, but data '"
                    + context.data().name() + "' encodes to " + encoded + " (the encoder must be built for "
                    + "PretextTask.encoderInputShape of this data)");
        }
    }
}
