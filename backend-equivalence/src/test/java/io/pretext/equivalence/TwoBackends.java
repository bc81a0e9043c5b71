package io.pretext.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.pretext.api.Backend;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.Gradients;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.HostTensor;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two training backends, found by id as the runtime finds them, opened with the same seed, and
 * the comparisons every test uses. Tolerances are those of the issue: losses agree to a relative
 * error below {@value #LOSS_TOLERANCE}, gradients to {@value #GRADIENT_TOLERANCE} relative to the
 * largest gradient element of the same tensor. A gradient that is zero in exact arithmetic (a bias
 * followed by batch normalization) is float32 rounding noise on both backends; such a tensor's
 * scale is floored at {@value #NOISE_FLOOR} of the model's largest gradient element.
 */
final class TwoBackends implements AutoCloseable {
    static final double LOSS_TOLERANCE = 1e-4;
    static final double GRADIENT_TOLERANCE = 1e-3;
    static final double NOISE_FLOOR = 1e-3;
    static final long SEED = 20;
    private static final Logger LOG = LoggerFactory.getLogger(TwoBackends.class);

    final BackendSession tensorflow;
    final BackendSession djl;

    TwoBackends() {
        tensorflow = find("tensorflow").open(new BackendSettings(0, 0, SEED));
        djl = find("djl").open(new BackendSettings(0, 0, SEED));
    }

    static Backend find(String id) {
        return ServiceLoader.load(Backend.class).stream().map(ServiceLoader.Provider::get).filter(b -> b.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no backend '" + id + "' on the test classpath"));
    }

    /** A training program on each backend, over the same model. */
    record Programs(TrainingProgram tensorflow, TrainingProgram djl) implements AutoCloseable {
        @Override
        public void close() {
            try {
                tensorflow.close();
            } finally {
                djl.close();
            }
        }
    }

    /**
     * Compiles the objective on both backends from the initial values the seed gives, and checks
     * that both start from exactly those values.
     */
    Programs compile(List<ParamSpec> specs, Objective objective, TrainingConfig config) {
        ParameterSet initial = ParameterSet.initialize(specs, SEED);
        Programs p = new Programs(tensorflow.compileTraining(specs, objective, config, initial),
                djl.compileTraining(specs, objective, config, initial));
        assertEquals(initial, p.tensorflow().parameters(), "tensorflow starts from the seed's values");
        assertEquals(initial, p.djl().parameters(), "djl starts from the seed's values");
        return p;
    }

    /** Loss and gradients of one batch on both backends agree within the tolerances. */
    static void assertSameGradients(String what, Programs p, Batch batch) {
        Gradients tf = p.tensorflow().gradients(batch);
        Gradients dj = p.djl().gradients(batch);
        assertSameLoss(what, tf.loss(), dj.loss());
        assertEquals(tf.gradients().names(), dj.gradients().names(), what + ": gradient names");
        double largest = 1e-6;
        for (HostTensor.Floats g : tf.gradients().asMap().values()) {
            for (float v : g.data()) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        double worst = 0;
        for (String n : tf.gradients().names()) {
            worst = Math.max(worst, assertClose(what + ": gradient of " + n, tf.gradients().get(n), dj.gradients().get(n),
                    GRADIENT_TOLERANCE, NOISE_FLOOR * largest));
        }
        LOG.info("{}: loss {} vs {} (relative error {}), worst gradient error {} of the tensor's largest element", what, tf.loss(),
                dj.loss(), relative(tf.loss(), dj.loss()), worst);
    }

    static double relative(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.max(Math.abs(a), Math.abs(b)), 1e-6);
    }

    static void assertSameLoss(String what, double tensorflow, double djl) {
        if (!(relative(tensorflow, djl) < LOSS_TOLERANCE)) {
            fail(what + ": loss " + tensorflow + " on tensorflow, " + djl + " on djl (relative error " + relative(tensorflow, djl) + ")");
        }
    }

    /**
     * |a - b| &lt;= tolerance * max(largest |a| of the tensor, floor), element by element.
     *
     * @return the largest error found, relative to that scale
     */
    static double assertClose(String what, HostTensor.Floats a, HostTensor.Floats b, double tolerance, double floor) {
        assertEquals(a.shape(), b.shape(), what + ": shape");
        double scale = floor;
        for (float v : a.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < a.data().length; i++) {
            double error = Math.abs(a.data()[i] - b.data()[i]) / scale;
            if (!(error <= tolerance)) {
                fail(what + "[" + i + "]: tensorflow " + a.data()[i] + ", djl " + b.data()[i] + " (error " + error
                        + " of the tensor's scale " + scale + ", tolerance " + tolerance + ")");
            }
            worst = Math.max(worst, error);
        }
        return worst;
    }

    /** Every tensor of two parameter sets agrees within the tolerance (see {@link #assertClose}). */
    static double assertClose(String what, ParameterSet a, ParameterSet b, double tolerance, double floor) {
        assertEquals(a.names(), b.names(), what + ": names");
        double worst = 0;
        for (String n : a.names()) {
            worst = Math.max(worst, assertClose(what + ": " + n, a.get(n), b.get(n), tolerance, floor));
        }
        return worst;
    }

    @Override
    public void close() {
        try {
            tensorflow.close();
        } finally {
            djl.close();
        }
    }
}
