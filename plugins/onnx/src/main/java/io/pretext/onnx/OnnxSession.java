package io.pretext.onnx;

import io.pretext.api.Backend;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.Capability;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.backend.OnnxModel;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.error.CapabilityException;
import io.pretext.api.model.Forward;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An opened ONNX backend: the engine (native library, threads, execution provider) and the
 * programs and models still open, which {@link #close} closes.
 */
final class OnnxSession implements BackendSession {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxSession.class);

    private final OrtEngine engine;
    private final long seed;
    private final String version;
    private final Set<AutoCloseable> open = new LinkedHashSet<>();
    private boolean closed;

    OnnxSession(OrtEngine engine, long seed, String version) {
        this.engine = engine;
        this.seed = seed;
        this.version = version;
    }

    @Override
    public TrainingProgram compileTraining(List<ParamSpec> parameters, Objective objective, TrainingConfig config, ParameterSet initial) {
        throw new CapabilityException(cannotTrain());
    }

    /** The refusal, naming the backends on the classpath that can train. */
    static String cannotTrain() {
        Set<String> trainers = new TreeSet<>();
        try {
            for (Backend b : ServiceLoader.load(Backend.class, OnnxSession.class.getClassLoader())) {
                if (b.hasCapability(Capability.TRAINING)) {
                    trainers.add(b.id());
                }
            }
        } catch (java.util.ServiceConfigurationError | RuntimeException e) {
            LOG.debug("listing training backends failed: {}", e.toString());
        }
        String use = trainers.isEmpty() ? "a backend that declares TRAINING (tensorflow or djl; none is installed)" : String.join(" or ", trainers);
        return "backend 'onnx' cannot train: ONNX Runtime runs inference only. Train with " + use
                + ", then export the encoder with 'pretext export --format onnx'";
    }

    @Override
    public synchronized InferenceProgram compileInference(List<ParamSpec> parameters, Forward forward, ParameterSet values) {
        checkOpen();
        TracedProgram[] holder = new TracedProgram[1];
        holder[0] = new TracedProgram(engine, parameters, forward, values, seed, version, () -> forget(holder[0]));
        open.add(holder[0]);
        return holder[0];
    }

    @Override
    public void exportOnnx(List<ParamSpec> parameters, ParameterSet values, Shape inputShape, Forward forward, Map<String, String> metadata,
                           Path file) {
        checkOpen();
        OnnxExporter.write(OnnxExporter.trace(parameters, values, inputShape, forward, metadata, version), file);
        LOG.info("ONNX model written to {}", file);
    }

    @Override
    public synchronized OnnxModel openOnnx(Path file) {
        checkOpen();
        OrtModel[] holder = new OrtModel[1];
        holder[0] = OrtModel.open(file, engine, () -> forget(holder[0]));
        open.add(holder[0]);
        return holder[0];
    }

    private synchronized void forget(AutoCloseable c) {
        if (c != null) {
            open.remove(c);
        }
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("backend session is closed");
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(open);
        }
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed: {}", c, e.toString());
            }
        }
    }
}
