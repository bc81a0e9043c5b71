package io.pretext.api.model;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.Shape;
import java.util.SplittableRandom;

/**
 * How a parameter's first values are drawn. Initialization happens in Java, from a seed, so the
 * same seed gives the same initial model on every backend. The set is closed so that checkpoints
 * and cross-backend tests can rely on it.
 */
@ApiStatus(ApiStatus.Status.STABLE)
public sealed interface Initializer {

    /**
     * @param shape the parameter shape
     * @param random the parameter's own random stream
     * @return row-major initial values
     */
    float[] sample(Shape shape, SplittableRandom random);

    /** All zeros (biases, norm shifts). */
    record Zeros() implements Initializer {
        @Override
        public float[] sample(Shape shape, SplittableRandom random) {
            return new float[Math.toIntExact(shape.size())];
        }
    }

    /**
     * A constant (norm scales use 1).
     *
     * @param value the value
     */
    record Constant(float value) implements Initializer {
        @Override
        public float[] sample(Shape shape, SplittableRandom random) {
            float[] v = new float[Math.toIntExact(shape.size())];
            java.util.Arrays.fill(v, value);
            return v;
        }
    }

    /**
     * Uniform on [-limit, limit] with limit = sqrt(6 / (fanIn + fanOut)) (Glorot and Bengio).
     */
    record GlorotUniform() implements Initializer {
        @Override
        public float[] sample(Shape shape, SplittableRandom random) {
            double limit = Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
            return uniform(shape, random, limit);
        }
    }

    /**
     * Uniform on [-limit, limit] with limit = 1 / sqrt(fanIn): PyTorch's default for linear and
     * convolution layers (Kaiming uniform with a = sqrt 5), so models match the PyTorch references.
     */
    record FanInUniform() implements Initializer {
        @Override
        public float[] sample(Shape shape, SplittableRandom random) {
            return uniform(shape, random, 1.0 / Math.sqrt(fanIn(shape)));
        }
    }

    /**
     * Uniform on [-limit, limit] with an explicit limit; PyTorch draws linear biases this way with
     * limit = 1 / sqrt(fanIn of the layer).
     *
     * @param limit half-width of the interval
     */
    record Uniform(double limit) implements Initializer {
        @Override
        public float[] sample(Shape shape, SplittableRandom random) {
            return uniform(shape, random, limit);
        }
    }

    /** Normal with std sqrt(2 / fanIn) (He et al.), for ReLU stacks. */
    record HeNormal() implements Initializer {
        @Override
        public float[] sample(Shape shape, SplittableRandom random) {
            return normal(shape, random, Math.sqrt(2.0 / fanIn(shape)));
        }
    }

    /**
     * Normal with the given standard deviation, truncated at two standard deviations
     * (embeddings, ViT tokens).
     *
     * @param stddev the standard deviation
     */
    record TruncatedNormal(double stddev) implements Initializer {
        @Override
        public float[] sample(Shape shape, SplittableRandom random) {
            float[] v = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                double g;
                do {
                    g = gaussian(random);
                } while (Math.abs(g) > 2.0);
                v[i] = (float) (g * stddev);
            }
            return v;
        }
    }

    /**
     * @param shape a parameter shape: [in, out] for dense kernels, HWIO for filters
     * @return the number of inputs feeding one output
     */
    static long fanIn(Shape shape) {
        if (shape.rank() <= 1) {
            return Math.max(1, shape.size());
        }
        long receptive = shape.size() / ((long) shape.dim(-1) * shape.dim(-2));
        return receptive * shape.dim(-2);
    }

    /**
     * @param shape a parameter shape
     * @return the number of outputs one input feeds
     */
    static long fanOut(Shape shape) {
        if (shape.rank() <= 1) {
            return Math.max(1, shape.size());
        }
        long receptive = shape.size() / ((long) shape.dim(-1) * shape.dim(-2));
        return receptive * shape.dim(-1);
    }

    private static float[] uniform(Shape shape, SplittableRandom random, double limit) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return v;
    }

    private static float[] normal(Shape shape, SplittableRandom random, double std) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian(random) * std);
        }
        return v;
    }

    // Box-Muller on the given stream: SplittableRandom has no nextGaussian on Java 17.
    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
