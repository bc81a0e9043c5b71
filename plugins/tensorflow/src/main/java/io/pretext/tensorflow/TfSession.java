package io.pretext.tensorflow;

import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.model.Forward;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.ConfigProto;

/**
 * An opened TensorFlow backend: the thread configuration every program's session uses, and the
 * programs still open, which {@link #close} closes.
 */
final class TfSession implements BackendSession {
    static final String TENSORFLOW_JAVA_VERSION = "1.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(TfSession.class);

    private final ConfigProto config;
    private final long seed;
    private final Set<TfProgram> programs = new LinkedHashSet<>();
    private boolean closed;

    TfSession(int intraOpThreads, int interOpThreads, long seed) {
        // Touching TensorFlow loads (and on a cold cache unpacks) the native library here, not earlier.
        LOG.info("TensorFlow {} (TensorFlow-Java {}), intra-op threads {}, inter-op threads {}", TensorFlow.version(),
                TENSORFLOW_JAVA_VERSION, intraOpThreads, interOpThreads);
        this.config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .build();
        this.seed = seed;
    }

    @Override
    public synchronized TrainingProgram compileTraining(List<ParamSpec> parameters, Objective objective, TrainingConfig config,
                                                        ParameterSet initial) {
        checkOpen();
        TfTrainingProgram[] holder = new TfTrainingProgram[1];
        TfTrainingProgram p = new TfTrainingProgram(parameters, objective, config, initial, this.config, seed,
                () -> forget(holder[0]));
        holder[0] = p;
        programs.add(p);
        return p;
    }

    @Override
    public synchronized InferenceProgram compileInference(List<ParamSpec> parameters, Forward forward, ParameterSet values) {
        checkOpen();
        TfInferenceProgram[] holder = new TfInferenceProgram[1];
        TfInferenceProgram p = new TfInferenceProgram(parameters, forward, values, config, seed, () -> forget(holder[0]));
        holder[0] = p;
        programs.add(p);
        return p;
    }

    private synchronized void forget(TfProgram p) {
        if (p != null) {
            programs.remove(p);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("backend session is closed");
        }
    }

    @Override
    public void close() {
        List<TfProgram> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(programs);
        }
        RuntimeException failure = null;
        for (TfProgram p : open) {
            try {
                p.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
