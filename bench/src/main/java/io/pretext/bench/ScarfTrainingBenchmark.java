package io.pretext.bench;

import io.pretext.api.backend.BackendSettings;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH form of {@link ScarfBench}: one SCARF training step per invocation, reported in rows per
 * second (256 operations per invocation), for the op layer and for the hand-written graph. Run with
 * {@code java -cp <classpath> org.openjdk.jmh.Main ScarfTrainingBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ScarfTrainingBenchmark {
    private static final int BATCH = 256;
    private static final long SEED = 42;

    private ScarfData data;
    private ScarfOpLayer opLayer;
    private ScarfHandWritten hand;
    private final float[] anchor = new float[BATCH * ScarfData.FEATURES];
    private final float[] corrupted = new float[BATCH * ScarfData.FEATURES];

    /** Builds both models from the same seed. */
    @Setup(Level.Trial)
    public void setUp() {
        data = new ScarfData(20_000, 0.6f, 7);
        opLayer = new ScarfOpLayer(BATCH, new BackendSettings(0, 0, SEED), SEED);
        hand = new ScarfHandWritten(BATCH, opLayer.parameters(), opLayer.initial(SEED), Runtime.getRuntime().availableProcessors(), 2);
    }

    /** Releases both graphs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        opLayer.close();
        hand.close();
    }

    /** @return the loss of one op-layer training step */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double opLayerStep() {
        data.next(anchor, corrupted);
        return opLayer.step(anchor, corrupted);
    }

    /** @return the loss of one hand-written-graph training step */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double handWrittenStep() {
        data.next(anchor, corrupted);
        return hand.step(anchor, corrupted);
    }
}
