package io.pretext.djl;

import io.pretext.api.Backend;
import io.pretext.api.PretextApi;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.Capability;
import io.pretext.api.option.OptionSpec;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Backend {@code djl}: DJL with the PyTorch engine, eager. Model code written against
 * {@link io.pretext.api.tensor.Ops} runs op by op under a gradient collector, one NDManager per
 * step; the update follows the same PyTorch formulas as the TensorFlow backend, so the two agree
 * (the cross-backend equivalence suite checks it).
 *
 * <p>The provider is cheap: nothing native loads until {@link #open}, so listing plugins or
 * printing help never touches PyTorch.
 */
public final class DjlBackend implements Backend {

    /** Option: threads inside one op (0: the backend default, 1). */
    public static final String INTRA_OP_THREADS = "intra-op-threads";
    /** Option: ops run in parallel (0: the backend default, 1). */
    public static final String INTER_OP_THREADS = "inter-op-threads";

    static final String DJL_VERSION = "0.36.0";

    /**
     * Intra-op threads when the settings leave it to the backend. Measured on the 2-core development
     * machine: under CPU contention PyTorch's default of one thread per core collapsed to 2-6 steps/s, one
     * thread held ~100 steps/s; see docs/results.md for the SCARF step.
     */
    static final int DEFAULT_INTRA_OP_THREADS = 1;
    /** Inter-op threads when the settings leave it to the backend: eager execution runs one op at a time. */
    static final int DEFAULT_INTER_OP_THREADS = 1;

    /** Public no-arg constructor for {@link java.util.ServiceLoader}; loads nothing native. */
    public DjlBackend() {
    }

    @Override
    public String id() {
        return "djl";
    }

    @Override
    public String description() {
        return "DJL " + DJL_VERSION + " with the PyTorch engine, eager (CPU): trains and runs inference";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.integer(INTRA_OP_THREADS, 0, "threads inside one op; 0 uses the backend default ("
                        + DEFAULT_INTRA_OP_THREADS + ", which holds up when other processes share the cores)").atLeast(0),
                OptionSpec.integer(INTER_OP_THREADS, 0, "ops run in parallel; 0 uses the backend default ("
                        + DEFAULT_INTER_OP_THREADS + "); fixed once PyTorch has started in the JVM").atLeast(0));
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.TRAINING, Capability.INFERENCE);
    }

    @Override
    public BackendSession open(BackendSettings settings) {
        int intra = settings.intraOpThreads() > 0 ? settings.intraOpThreads() : DEFAULT_INTRA_OP_THREADS;
        int inter = settings.interOpThreads() > 0 ? settings.interOpThreads() : DEFAULT_INTER_OP_THREADS;
        return new DjlSession(DjlEngine.open(intra, inter, settings.seed()));
    }
}
