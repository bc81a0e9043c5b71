package io.pretext.equivalence;

import io.pretext.api.ComponentRegistry;
import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.Provider;
import io.pretext.api.error.UnknownComponentException;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;

/**
 * The shipped components, reached by id through a registry over the test classpath (plugins/core's
 * MLP and losses, plugins-tabular's tasks, plugins-vision's image encoders), as the runtime reaches
 * them.
 */
final class Components {
    private Components() {
    }

    /** Every provider of every SPI on the classpath, by id. */
    static final ComponentRegistry REGISTRY = new ComponentRegistry() {
        @Override
        public <T extends Provider> T get(Class<T> spi, String id) {
            return all(spi).stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow(
                    () -> new UnknownComponentException(spi.getSimpleName(), id, all(spi).stream().map(Provider::id).toList()));
        }

        @Override
        public <T extends Provider> List<T> all(Class<T> spi) {
            List<T> out = new ArrayList<>();
            ServiceLoader.load(spi).forEach(out::add);
            out.sort(Comparator.comparing(Provider::id));
            return out;
        }
    };

    /**
     * @param scope parameter prefix
     * @param input per-example input width
     * @param options raw options of encoder {@code mlp}
     * @return the configured MLP
     */
    static EncoderModel mlp(String scope, int input, Map<String, ?> options) {
        Encoder mlp = REGISTRY.get(Encoder.class, "mlp");
        return mlp.create(Options.resolve(scope, mlp.options(), options), Shape.of(input), scope);
    }

    /**
     * @param id an encoder id
     * @param scope parameter prefix
     * @param example per-example input shape
     * @param options raw options of that encoder
     * @return the configured encoder
     */
    static EncoderModel encoder(String id, String scope, Shape example, Map<String, ?> options) {
        Encoder encoder = REGISTRY.get(Encoder.class, id);
        return encoder.create(Options.resolve(scope, encoder.options(), options), example, scope);
    }

    /**
     * @param id a loss id
     * @return the loss with its default options
     */
    static LossFunction loss(String id) {
        Loss loss = REGISTRY.get(Loss.class, id);
        return loss.create(Options.defaults(loss.options()));
    }

    /**
     * @param rows rows
     * @param columns columns
     * @param seed seed
     * @return standard normal values
     */
    static HostTensor.Floats gaussian(int rows, int columns, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[rows * columns];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return HostTensor.of(Shape.of(rows, columns), v);
    }

    /**
     * @param x values
     * @param std noise scale
     * @param seed seed
     * @return x plus Gaussian noise: a second view of the same rows
     */
    static HostTensor.Floats noisy(HostTensor.Floats x, double std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = x.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += (float) (std * r.nextGaussian());
        }
        return HostTensor.of(x.shape(), v);
    }

    /**
     * @param rows rows
     * @param classes classes
     * @param seed seed
     * @return int32 labels, every class present
     */
    static HostTensor.Ints labels(int rows, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] v = new int[rows];
        for (int i = 0; i < rows; i++) {
            v[i] = i < classes ? i : r.nextInt(classes);
        }
        return HostTensor.of(Shape.of(rows), v);
    }
}
