package io.pretext.vision.task;

import io.pretext.api.Augmentation;
import io.pretext.api.ComponentRegistry;
import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.Loss;
import io.pretext.api.PretextTask;
import io.pretext.api.Provider;
import io.pretext.api.TaskContext;
import io.pretext.api.TaskModel;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.error.UnknownComponentException;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import io.pretext.core.encoder.MlpEncoder;
import io.pretext.core.loss.BarlowTwinsLoss;
import io.pretext.core.loss.CrossEntropyLoss;
import io.pretext.core.loss.MseLoss;
import io.pretext.core.loss.NtXentLoss;
import io.pretext.core.loss.VicRegLoss;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;

/** A run in miniature: plugins/core's MLP and losses and this plugin's augmentations and encoders in a small registry. */
final class Fixtures {
    private Fixtures() {
    }

    static final ComponentRegistry REGISTRY = new ComponentRegistry() {
        private final List<Provider> providers = providers();

        private static List<Provider> providers() {
            List<Provider> out = new ArrayList<>(List.of(new MlpEncoder(), new NtXentLoss(), new VicRegLoss(), new BarlowTwinsLoss(),
                    new MseLoss(), new CrossEntropyLoss()));
            ServiceLoader.load(Augmentation.class).forEach(out::add);
            ServiceLoader.load(Encoder.class).stream().map(ServiceLoader.Provider::get)
                    .filter(e -> e.getClass().getPackageName().startsWith("io.pretext.vision")).forEach(out::add);
            return out;
        }

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
     * @param example an image
     * @param classes class count
     * @return a description of a data set of such images
     */
    static DatasetInfo info(Example.Image example, int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(String.valueOf(i));
        }
        return new DatasetInfo("test-images", Modality.IMAGE, Shape.of(example.height(), example.width(), example.channels()),
                OptionalLong.empty(), names, Optional.empty(), "sha256:test");
    }

    /**
     * @param task the task
     * @param taskOptions its raw options
     * @param data the training images
     * @param encoderId an encoder of this plugin
     * @param encoderOptions its raw options
     * @param lossId a loss of plugins/core
     * @return the task bound to a miniature run
     */
    static TaskModel bind(PretextTask task, Map<String, ?> taskOptions, List<Example> data, String encoderId, Map<String, ?> encoderOptions,
                          String lossId) {
        Example.Image first = (Example.Image) data.get(0);
        DatasetInfo info = info(first, 10);
        Options options = Options.resolve("task", task.options(), taskOptions, REGISTRY);
        Encoder encoder = REGISTRY.get(Encoder.class, encoderId);
        EncoderModel model = encoder.create(Options.resolve("encoder", encoder.options(), encoderOptions), task.encoderInputShape(info, options),
                "encoder");
        Loss loss = REGISTRY.get(Loss.class, lossId);
        return task.bind(new TaskContext(REGISTRY, info, data, model, loss.create(Options.defaults(loss.options())), Optional.empty(), 3L),
                options);
    }
}
