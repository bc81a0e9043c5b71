package io.pretext.onnx;

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
 * Backend {@code onnx}: ONNX Runtime. Exports encoders by tracing their forward function into an
 * ONNX graph, runs inference programs the same way, and serves any ONNX file. It cannot train.
 *
 * <p>The provider is cheap: ONNX Runtime's native library loads in {@link #open}, not when the
 * plugin is listed.
 */
public final class OnnxBackend implements Backend {

    /** Option: threads inside one op (0: ONNX Runtime's default). */
    public static final String INTRA_OP_THREADS = "intra-op-threads";
    /** Option: ops run in parallel (0: ONNX Runtime's default). */
    public static final String INTER_OP_THREADS = "inter-op-threads";

    /** The ONNX Runtime version this plugin is built against. */
    static final String ONNX_RUNTIME_VERSION = "1.29.0";

    // Present only in the onnxruntime_gpu artifact; looking for the resource loads nothing.
    private static final String CUDA_PROVIDER_LIBRARY = "/ai/onnxruntime/native/linux-x64/libonnxruntime_providers_cuda.so";

    /** Public no-arg constructor for {@link java.util.ServiceLoader}; loads nothing native. */
    public OnnxBackend() {
    }

    @Override
    public String id() {
        return "onnx";
    }

    @Override
    public String description() {
        return "ONNX Runtime " + ONNX_RUNTIME_VERSION + ": inference and ONNX export by tracing (cannot train)"
                + (gpuBuild() ? "; CUDA execution provider when it loads" : "");
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.integer(INTRA_OP_THREADS, 0, "threads inside one op; 0 uses ONNX Runtime's default (the physical cores)")
                        .atLeast(0),
                OptionSpec.integer(INTER_OP_THREADS, 0, "ops run in parallel; 0 uses ONNX Runtime's default").atLeast(0));
    }

    @Override
    public Set<Capability> capabilities() {
        EnumSet<Capability> c = EnumSet.of(Capability.INFERENCE, Capability.EXPORT_ONNX);
        if (gpuBuild()) {
            c.add(Capability.GPU);
        }
        return c;
    }

    private static boolean gpuBuild() {
        return OnnxBackend.class.getResource(CUDA_PROVIDER_LIBRARY) != null;
    }

    @Override
    public BackendSession open(BackendSettings settings) {
        return new OnnxSession(new OrtEngine(settings.intraOpThreads(), settings.interOpThreads()), settings.seed(), version());
    }
}
