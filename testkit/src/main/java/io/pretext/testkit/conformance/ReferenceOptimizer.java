package io.pretext.testkit.conformance;

import io.pretext.api.backend.TrainingState;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.HostTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One optimizer step in plain Java and double precision, with PyTorch's formulas: what every
 * training backend's compiled update must reproduce. Gradient clipping follows
 * {@code torch.nn.utils.clip_grad_norm_} (coefficient {@code maxNorm / (norm + 1e-6)}, at most 1),
 * SGD follows {@code torch.optim.SGD} (weight decay added to the gradient, momentum buffer
 * {@code m * buf + g}, optional Nesterov), Adam and AdamW follow {@code torch.optim.Adam} and
 * {@code torch.optim.AdamW} with bias correction; AdamW decays weights by {@code lr * weightDecay}
 * first. Slots use {@link TrainingState}'s canonical names.
 */
public final class ReferenceOptimizer {
    private ReferenceOptimizer() {
    }

    /**
     * @param config optimizer, schedule and clipping
     * @param before parameters, slots (absent slots count as zero) and step count before the update
     * @param gradients the gradient of every trainable parameter; parameters without one are left alone
     * @return the state after one update
     */
    public static TrainingState step(TrainingConfig config, TrainingState before, ParameterSet gradients) {
        long t = before.step();
        OptimizerSpec optimizer = config.optimizer();
        double lr = optimizer.learningRate() * config.schedule().factor(t);
        double coefficient = 1;
        if (config.clipGlobalNorm() > 0) {
            double sq = 0;
            for (HostTensor.Floats g : gradients.asMap().values()) {
                for (float v : g.data()) {
                    sq += (double) v * v;
                }
            }
            coefficient = Math.min(1, config.clipGlobalNorm() / (Math.sqrt(sq) + 1e-6));
        }
        Map<String, HostTensor.Floats> params = new LinkedHashMap<>(before.parameters().asMap());
        Map<String, HostTensor.Floats> slots = new LinkedHashMap<>(before.optimizerSlots().asMap());
        for (Map.Entry<String, HostTensor.Floats> e : gradients.asMap().entrySet()) {
            String name = e.getKey();
            float[] w = before.parameters().get(name).data();
            float[] g = e.getValue().data();
            float[] out = new float[w.length];
            if (optimizer instanceof OptimizerSpec.Sgd sgd) {
                float[] buf = slot(slots, name + "/momentum", w.length);
                float[] newBuf = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    double gi = g[i] * coefficient + sgd.weightDecay() * w[i];
                    double d = gi;
                    if (sgd.momentum() > 0) {
                        double b = sgd.momentum() * buf[i] + gi;
                        newBuf[i] = (float) b;
                        d = sgd.nesterov() ? gi + sgd.momentum() * b : b;
                    }
                    out[i] = (float) (w[i] - lr * d);
                }
                if (sgd.momentum() > 0) {
                    slots.put(name + "/momentum", HostTensor.of(e.getValue().shape(), newBuf));
                }
            } else {
                double beta1;
                double beta2;
                double eps;
                double decay = 0;
                if (optimizer instanceof OptimizerSpec.AdamW a) {
                    beta1 = a.beta1();
                    beta2 = a.beta2();
                    eps = a.epsilon();
                    decay = a.weightDecay();
                } else {
                    OptimizerSpec.Adam a = (OptimizerSpec.Adam) optimizer;
                    beta1 = a.beta1();
                    beta2 = a.beta2();
                    eps = a.epsilon();
                }
                float[] m = slot(slots, name + "/adam_m", w.length);
                float[] v = slot(slots, name + "/adam_v", w.length);
                float[] newM = new float[w.length];
                float[] newV = new float[w.length];
                double bc1 = 1 - Math.pow(beta1, t + 1);
                double bc2 = 1 - Math.pow(beta2, t + 1);
                for (int i = 0; i < w.length; i++) {
                    double gi = g[i] * coefficient;
                    double wi = w[i] * (1 - lr * decay);
                    double mi = beta1 * m[i] + (1 - beta1) * gi;
                    double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                    newM[i] = (float) mi;
                    newV[i] = (float) vi;
                    out[i] = (float) (wi - lr / bc1 * mi / (Math.sqrt(vi) / Math.sqrt(bc2) + eps));
                }
                slots.put(name + "/adam_m", HostTensor.of(e.getValue().shape(), newM));
                slots.put(name + "/adam_v", HostTensor.of(e.getValue().shape(), newV));
            }
            params.put(name, HostTensor.of(e.getValue().shape(), out));
        }
        return new TrainingState(new ParameterSet(params), new ParameterSet(slots), t + 1);
    }

    private static float[] slot(Map<String, HostTensor.Floats> slots, String name, int size) {
        HostTensor.Floats s = slots.get(name);
        return s == null ? new float[size] : s.data();
    }
}
