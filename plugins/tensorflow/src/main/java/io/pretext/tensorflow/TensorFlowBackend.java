package io.pretext.tensorflow;

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
 * Backend {@code tensorflow}: TensorFlow-Java in graph mode. Model code written against
 * {@link io.pretext.api.tensor.Ops} becomes a graph, compiled once per input signature with its
 * gradients and optimizer update, then trained one {@code Session.run} per step.
 *
 * <p>The provider is cheap: nothing native loads until {@link #open}, so listing plugins or
 * printing help never touches TensorFlow.
 */
public final class TensorFlowBackend implements Backend {

    /** Option: threads inside one op (0: every core). */
    public static final String INTRA_OP_THREADS = "intra-op-threads";
    /** Option: ops run in parallel (0: the backend default, 2). */
    public static final String INTER_OP_THREADS = "inter-op-threads";

    /**
     * Inter-op threads when the settings leave it to the backend. Measured on the 2-core development
     * machine: 2 ran a SCARF step ~1.7x faster than 1, and more than 2 was slower.
     */
    static final int DEFAULT_INTER_OP_THREADS = 2;

    /** Public no-arg constructor for {@link java.util.ServiceLoader}; loads nothing native. */
    public TensorFlowBackend() {
    }

    @Override
    public String id() {
        return "tensorflow";
    }

    @Override
    public String description() {
        return "TensorFlow-Java " + TfSession.TENSORFLOW_JAVA_VERSION + " in graph mode (CPU): trains and runs inference";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.integer(INTRA_OP_THREADS, 0, "threads inside one op; 0 uses every core").atLeast(0),
                OptionSpec.integer(INTER_OP_THREADS, 0, "ops run in parallel; 0 uses the backend default ("
                        + DEFAULT_INTER_OP_THREADS + ", the fastest measured)").atLeast(0));
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.TRAINING, Capability.INFERENCE);
    }

    @Override
    public BackendSession open(BackendSettings settings) {
        int intra = settings.intraOpThreads() > 0 ? settings.intraOpThreads() : Runtime.getRuntime().availableProcessors();
        int inter = settings.interOpThreads() > 0 ? settings.interOpThreads() : DEFAULT_INTER_OP_THREADS;
        return new TfSession(intra, inter, settings.seed());
    }
}
