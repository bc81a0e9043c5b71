package io.pretext.bench;

import io.pretext.api.backend.BackendSettings;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH form of {@link ScarfBackendsBench}: one reference SCARF training step per invocation, in
 * steps per second, on each training backend (same model, same seed, same batches). Run with
 * {@code java -cp <classpath> org.openjdk.jmh.Main ScarfBackendsBenchmark}; pin threads with
 * {@code -p intraOpThreads=2}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ScarfBackendsBenchmark {
    private static final int BATCH = 256;
    private static final long SEED = 42;

    /** The backend under test. */
    @Param({"tensorflow", "djl"})
    public String backend;

    /** Threads inside one op; 0 leaves it to the backend. */
    @Param({"0"})
    public int intraOpThreads;

    private ScarfData data;
    private ScarfBackendStep step;
    private final float[] anchor = new float[BATCH * ScarfData.FEATURES];
    private final float[] corrupted = new float[BATCH * ScarfData.FEATURES];

    /** Builds the model on the backend. */
    @Setup(Level.Trial)
    public void setUp() {
        data = new ScarfData(20_000, 0.6f, 7);
        step = new ScarfBackendStep(backend, BATCH, new BackendSettings(intraOpThreads, 0, SEED), SEED);
    }

    /** Releases the backend's resources. */
    @TearDown(Level.Trial)
    public void tearDown() {
        step.close();
    }

    /** @return the loss of one training step */
    @Benchmark
    public double trainingStep() {
        data.next(anchor, corrupted);
        return step.step(anchor, corrupted);
    }
}
