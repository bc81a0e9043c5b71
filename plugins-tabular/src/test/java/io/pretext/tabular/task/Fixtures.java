package io.pretext.tabular.task;

import io.pretext.api.ComponentRegistry;
import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.PretextTask;
import io.pretext.api.Provider;
import io.pretext.api.TaskContext;
import io.pretext.api.TaskModel;
import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.UnknownComponentException;
import io.pretext.api.model.PreprocessingState;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import io.pretext.core.encoder.MlpEncoder;
import io.pretext.core.loss.BarlowTwinsLoss;
import io.pretext.core.loss.ContrastiveMarginLoss;
import io.pretext.core.loss.CrossEntropyLoss;
import io.pretext.core.loss.InfoNceLoss;
import io.pretext.core.loss.MseLoss;
import io.pretext.core.loss.NtXentLoss;
import io.pretext.core.loss.TripletLoss;
import io.pretext.core.loss.VicRegLoss;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/** A run in miniature: plugins/core's MLP and losses in a small registry, and contexts to bind tasks to. */
final class Fixtures {
    private Fixtures() {
    }

    /** The registry a runtime would build, limited to what the tabular tasks reach by id. */
    static final ComponentRegistry REGISTRY = new ComponentRegistry() {
        private final List<Provider> providers = List.of(new MlpEncoder(), new InfoNceLoss(), new NtXentLoss(), new VicRegLoss(),
                new BarlowTwinsLoss(), new ContrastiveMarginLoss(), new TripletLoss(), new MseLoss(), new CrossEntropyLoss());

        @Override
        public <T extends Provider> T get(Class<T> spi, String id) {
            for (Provider p : providers) {
                if (spi.isInstance(p) && p.id().equals(id)) {
                    return spi.cast(p);
                }
            }
            throw new UnknownComponentException(spi.getSimpleName(), id, all(spi).stream().map(Provider::id).toList());
        }

        @Override
        public <T extends Provider> List<T> all(Class<T> spi) {
            List<T> out = new ArrayList<>();
            providers.stream().filter(spi::isInstance).map(spi::cast).forEach(out::add);
            out.sort(Comparator.comparing(Provider::id));
            return out;
        }
    };

    /**
     * @param columns number of numeric columns
     * @return a schema of that many numeric columns named c1..
     */
    static TableSchema numericSchema(int columns) {
        List<ColumnSpec> specs = new ArrayList<>();
        for (int j = 0; j < columns; j++) {
            specs.add(new ColumnSpec("c" + (j + 1), ColumnSpec.Kind.NUMERIC, List.of()));
        }
        return new TableSchema(specs);
    }

    /**
     * @param schema a schema
     * @param classes class names (empty: unlabeled)
     * @return a description of a table of that schema
     */
    static DatasetInfo info(TableSchema schema, List<String> classes) {
        return new DatasetInfo("synthetic", Modality.TABLE, Shape.of(schema.width()), OptionalLong.empty(), classes, Optional.of(schema),
                "sha256:test");
    }

    /**
     * @param n rows
     * @param columns numeric columns
     * @param low smallest value
     * @param classes labels drawn in 0..classes-1, or 0 for unlabeled
     * @param seed seed
     * @return rows with values uniform in [low, low + 1)
     */
    static List<Example> rows(int n, int columns, float low, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[columns];
            for (int j = 0; j < columns; j++) {
                v[j] = low + (float) r.nextDouble();
            }
            out.add(new Example.TableRow(v, classes == 0 ? Example.NO_LABEL : r.nextInt(classes)));
        }
        return out;
    }

    /**
     * @param task the task provider
     * @param taskOptions raw task options
     * @param data the data description
     * @param training the training rows
     * @param lossId the loss to use
     * @param encoderWidths widths of the mlp encoder
     * @param saved saved preprocessing state
     * @return the task bound to a miniature run
     */
    static TaskModel bind(PretextTask task, Map<String, ?> taskOptions, DatasetInfo data, Iterable<Example> training, String lossId,
                          List<Long> encoderWidths, Optional<PreprocessingState> saved) {
        Options options = Options.resolve("task", task.options(), taskOptions);
        Shape input = task.encoderInputShape(data, options);
        Encoder mlp = REGISTRY.get(Encoder.class, "mlp");
        EncoderModel encoder = mlp.create(Options.resolve("encoder", mlp.options(), Map.of("widths", encoderWidths)), input, "encoder");
        Loss loss = REGISTRY.get(Loss.class, lossId);
        LossFunction lossFunction = loss.create(Options.defaults(loss.options()));
        return task.bind(new TaskContext(REGISTRY, data, training, encoder, lossFunction, saved, 11L), options);
    }
}
