package io.pretext.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
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

/**
 * An opened DJL backend: the PyTorch engine, a manager every program's manager descends from, and
 * the programs still open, which {@link #close} closes.
 */
final class DjlSession implements BackendSession {
    private final Engine engine;
    private final NDManager manager;
    private final Set<DjlProgram> programs = new LinkedHashSet<>();
    private boolean closed;

    DjlSession(Engine engine) {
        this.engine = engine;
        this.manager = engine.newBaseManager();
    }

    @Override
    public synchronized TrainingProgram compileTraining(List<ParamSpec> parameters, Objective objective, TrainingConfig config,
                                                        ParameterSet initial) {
        checkOpen();
        DjlTrainingProgram[] holder = new DjlTrainingProgram[1];
        DjlTrainingProgram p = new DjlTrainingProgram(engine, parameters, objective, config, initial, manager,
                () -> forget(holder[0]));
        holder[0] = p;
        programs.add(p);
        return p;
    }

    @Override
    public synchronized InferenceProgram compileInference(List<ParamSpec> parameters, Forward forward, ParameterSet values) {
        checkOpen();
        DjlInferenceProgram[] holder = new DjlInferenceProgram[1];
        DjlInferenceProgram p = new DjlInferenceProgram(parameters, forward, values, manager, () -> forget(holder[0]));
        holder[0] = p;
        programs.add(p);
        return p;
    }

    private synchronized void forget(DjlProgram p) {
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
        List<DjlProgram> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(programs);
        }
        RuntimeException failure = null;
        for (DjlProgram p : open) {
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
        manager.close();
        if (failure != null) {
            throw failure;
        }
    }
}
