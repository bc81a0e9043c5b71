package io.pretext.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads DJL's PyTorch engine once per JVM, offline, with the thread counts a session asks for.
 * PyTorch's thread pools are process-wide: the intra-op count can change on every open, the
 * inter-op count only before the engine's first use (PyTorch refuses later changes), so a later
 * session asking for another inter-op count keeps the first and says so.
 */
final class DjlEngine {
    static final String ENGINE_NAME = "PyTorch";
    private static final String INTEROP_PROPERTY = "ai.djl.pytorch.num_interop_threads";
    private static final String INTRA_PROPERTY = "ai.djl.pytorch.num_threads";
    private static final Logger LOG = LoggerFactory.getLogger(DjlEngine.class);

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
}
