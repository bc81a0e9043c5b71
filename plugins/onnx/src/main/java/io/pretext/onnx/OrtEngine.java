package io.pretext.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.pretext.api.error.CapabilityException;
import io.pretext.api.error.PretextException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime as one session of the backend sees it: the process-wide environment, thread
 * counts, and the execution provider, chosen once: CUDA when the GPU build is on the classpath
 * and its provider loads (CUDA 12 libraries present), the CPU provider otherwise.
 */
final class OrtEngine {
    /** System property forcing the execution provider: {@code auto} (default), {@code cpu} or {@code cuda}. */
    static final String PROVIDER_PROPERTY = "pretext.onnx.execution-provider";
    /** System property letting idle intra-op threads spin ({@code true}); off by default. */
    static final String SPIN_PROPERTY = "pretext.onnx.intra-op-spinning";

    private static final Logger LOG = LoggerFactory.getLogger(OrtEngine.class);

    private final OrtEnvironment environment;
    private final int intraOpThreads;
    private final int interOpThreads;
    private final boolean cuda;

    /**
     * Loads ONNX Runtime's native library and chooses the execution provider, saying which in one log line.
     *
     * @param intraOpThreads threads inside one op (0: ONNX Runtime's default, the physical cores)
     * @param interOpThreads ops run in parallel (0: ONNX Runtime's default)
     */
    OrtEngine(int intraOpThreads, int interOpThreads) {
        // Warnings such as "initializer X appears in graph inputs" are not the user's business; errors still are.
        this.environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "pretext");
        this.intraOpThreads = intraOpThreads;
        this.interOpThreads = interOpThreads;
        String wanted = System.getProperty(PROVIDER_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (!wanted.equals("auto") && !wanted.equals("cpu") && !wanted.equals("cuda")) {
            throw new PretextException("system property " + PROVIDER_PROPERTY + " is '" + wanted + "'; allowed: auto, cpu, cuda");
        }
        String why = null;
        boolean useCuda = false;
        if (wanted.equals("cpu")) {
            why = "forced by " + PROVIDER_PROPERTY + "=cpu";
        } else if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            why = "this ONNX Runtime build has no CUDA provider (build with -Pgpu for onnxruntime_gpu)";
        } else {
            try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
                probe.addCUDA(0);
                useCuda = true;
            } catch (OrtException | RuntimeException | LinkageError e) {
                why = "the CUDA provider did not load: " + e.getMessage();
            }
        }
        if (wanted.equals("cuda") && !useCuda) {
            throw new CapabilityException(PROVIDER_PROPERTY + "=cuda, but " + why);
        }
        this.cuda = useCuda;
        String version = OrtEnvironment.class.getPackage().getImplementationVersion();
        if (cuda) {
            LOG.info("ONNX Runtime {}: CUDA execution provider (device 0)", version == null ? "" : version);
        } else {
            LOG.info("ONNX Runtime {}: CPU execution provider ({})", version == null ? "" : version, why);
        }
    }

    OrtEnvironment environment() {
        return environment;
    }

    boolean cuda() {
        return cuda;
    }

    /** @return fresh session options with this engine's threads, provider and full graph optimization; the caller closes them */
    OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                o.setIntraOpNumThreads(intraOpThreads);
            }
            if (interOpThreads > 0) {
                o.setInterOpNumThreads(interOpThreads);
            }
            // Idle intra-op threads sleep instead of spinning: spinning wins a few microseconds on an idle machine but
            // steals the cores of the loader threads and other processes (measured here: up to 2x slower under load).
            o.addConfigEntry("session.intra_op.allow_spinning", Boolean.getBoolean(SPIN_PROPERTY) ? "1" : "0");
            if (cuda) {
                o.addCUDA(0);
            }
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }
}
