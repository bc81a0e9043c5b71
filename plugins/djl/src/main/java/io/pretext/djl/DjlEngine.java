package io.pretext.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads DJL's PyTorch engine once per JVM, offline, with the thread counts a session asks for.
 * PyTorch's thread pools are process-wide: the intra-op count can change on every open, the
 * inter-op count only before the engine's first use (PyTorch refuses later changes), so a later
 * session asking for another inter-op count keeps the first and says so.
 *
 * <p>PyTorch's CPU kernels (and MKL inside them) run on GNU OpenMP, whose idle threads spin for a
 * long time before sleeping. On a machine whose cores are shared, a spinning thread holds the core
 * the thread it waits for needs: with two intra-op threads a SCARF step fell from ~100 to 2-6
 * steps/s next to other busy processes. Before the library loads, the spin is shortened
 * ({@value #SPIN_COUNT} iterations, unless the environment already sets {@code OMP_WAIT_POLICY} or
 * {@code GOMP_SPINCOUNT}), which keeps several intra-op threads usable under load.
 */
final class DjlEngine {
    static final String ENGINE_NAME = "PyTorch";
    private static final String INTEROP_PROPERTY = "ai.djl.pytorch.num_interop_threads";
    private static final String INTRA_PROPERTY = "ai.djl.pytorch.num_threads";
    private static final Logger LOG = LoggerFactory.getLogger(DjlEngine.class);
    static final String SPIN_COUNT = "1000";

    private static Engine engine;
    private static int interOpThreads;

    private DjlEngine() {
    }

    /**
     * @param intraOpThreads threads inside one op (already resolved, &gt; 0)
     * @param interOpThreads ops run in parallel (already resolved, &gt; 0)
     * @param seed seed of PyTorch's generator (dropout masks)
     * @return the engine, configured
     */
    static synchronized Engine open(int intraOpThreads, int interOpThreads, long seed) {
        if (engine == null) {
            // The native library ships in pytorch-native-cpu on the classpath; never look for it online.
            if (System.getProperty("ai.djl.offline") == null) {
                System.setProperty("ai.djl.offline", "true");
            }
            shortenOpenMpSpinning();
            // Read by the engine while it starts: the only moment PyTorch accepts an inter-op count.
            System.setProperty(INTEROP_PROPERTY, Integer.toString(interOpThreads));
            System.setProperty(INTRA_PROPERTY, Integer.toString(intraOpThreads));
            engine = Engine.getEngine(ENGINE_NAME);
            DjlEngine.interOpThreads = JniUtils.getNumInteropThreads();
        } else if (interOpThreads != DjlEngine.interOpThreads) {
            LOG.warn("PyTorch already runs {} inter-op threads in this JVM; it cannot change to {}", DjlEngine.interOpThreads,
                    interOpThreads);
        }
        JniUtils.setNumThreads(intraOpThreads);
        engine.setRandomSeed(Math.toIntExact(Math.floorMod(seed, Integer.MAX_VALUE)));
        LOG.info("PyTorch {} (DJL {}), intra-op threads {}, inter-op threads {}", engine.getVersion(), DjlBackend.DJL_VERSION,
                JniUtils.getNumThreads(), DjlEngine.interOpThreads);
        return engine;
    }

    /** Sets GOMP_SPINCOUNT in the process environment, where libgomp will read it when it loads. */
    private static void shortenOpenMpSpinning() {
        if (System.getenv("OMP_WAIT_POLICY") != null || System.getenv("GOMP_SPINCOUNT") != null) {
            return; // the user's choice
        }
        try {
            Function setenv = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("setenv");
            if (setenv.invokeInt(new Object[] {"GOMP_SPINCOUNT", SPIN_COUNT, 0}) != 0) {
                LOG.warn("could not set GOMP_SPINCOUNT; PyTorch's OpenMP threads may spin on busy cores");
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.warn("could not set GOMP_SPINCOUNT ({}); PyTorch's OpenMP threads may spin on busy cores", e.toString());
        }
    }
}
