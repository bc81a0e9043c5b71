package io.pretext.layers;

import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Inputs, parameters and an NCHW view of the reference ops for the layer tests. */
final class LayerFixture {
    private LayerFixture() {
    }

    /**
     * @param shape shape
     * @param seed seed
     * @return values uniform in [-2, 2)
     */
    static ReferenceOps.Value random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextDouble(-2, 2);
        }
        return ReferenceOps.floats(shape, d);
    }

    /**
     * @param specs declared parameters
     * @param seed seed
     * @return their initial values, every one but the kernels moved by
     *     0.1 to 0.9, so that a test sees scales, shifts, biases and running statistics used
     */
    static ParameterSet parameters(List<ParamSpec> specs, long seed) {
        SplittableRandom r = new SplittableRandom(seed + 1);
        Map<String, HostTensor.Floats> moved = new LinkedHashMap<>();
        ParameterSet.initialize(specs, seed).asMap().forEach((name, value) -> {
            float[] v = value.data().clone();
            if (!name.endsWith("/kernel")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) r.nextDouble(0.1, 0.9);
                }
            }
            moved.put(name, HostTensor.of(value.shape(), v));
        });
        return new ParameterSet(moved);
    }

    /**
     * @param p parameter values
     * @param name a parameter
     * @return its values as doubles
     */
    static double[] values(ParameterSet p, String name) {
        float[] f = p.get(name).data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /**
     * @param t a reference tensor
     * @return its values
     */
    static double[] data(Tensor t) {
        return ((ReferenceOps.Value) t).data();
    }

    /**
     * The reference ops as an NCHW backend (PyTorch's layout): same kernels, activations in NCHW.
     *
     * @param nhwc reference ops in NHWC, whose values the NCHW ops read
     * @return the NCHW ops
     */
    static Ops nchw(Ops nhwc) {
        return new ReferenceOps(0, ImageLayout.NCHW);
    }

    /**
     * @param ops op set
     * @param nhwc an NHWC value
     * @return the same value in NCHW
     */
    static Tensor toNchw(Ops ops, Tensor nhwc) {
        return ops.transpose(nhwc, 0, 3, 1, 2);
    }

    /**
     * @param ops op set
     * @param nchw an NCHW value
     * @return the same value in NHWC
     */
    static Tensor toNhwc(Ops ops, Tensor nchw) {
        return ops.transpose(nchw, 0, 2, 3, 1);
    }
}
