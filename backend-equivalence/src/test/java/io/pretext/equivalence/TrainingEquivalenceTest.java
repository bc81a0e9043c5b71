package io.pretext.equivalence;

import static io.pretext.equivalence.TwoBackends.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.api.TaskModel;
import io.pretext.api.backend.StepResult;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.backend.TrainingState;
import io.pretext.api.model.Batch;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.LearningRateSchedule;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training on both backends: ten optimizer steps of SCARF + InfoNCE (each optimizer, with warm-up,
 * cosine decay and clipping) keep the two runs' losses and parameters together, and a training
 * state (parameters, optimizer slots, step count) saved on one backend resumes on the other and
 * continues as the original does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingEquivalenceTest {
    /** Parameters after the steps: error relative to the tensor's largest element. */
    static final double PARAMETER_TOLERANCE = 1e-4;
    private static final Logger LOG = LoggerFactory.getLogger(TrainingEquivalenceTest.class);
    private TwoBackends backends;
    private TaskModel scarf;
    private final List<Batch> batches = new ArrayList<>();

    @BeforeAll
    void open() {
        backends = new TwoBackends();
        scarf = TabularTaskEquivalenceTest.bind("scarf", "info-nce", Map.of("head-widths", List.of(24, 16)));
        for (int s = 0; s < 10; s++) {
            batches.add(scarf.prepare(TabularTaskEquivalenceTest.rows(64, 100 + s), new SplittableRandom(s)));
        }
    }

    @AfterAll
    void close() {
        backends.close();
    }

    static Stream<Arguments> configs() {
        LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(3, 10);
        return Stream.of(
                Arguments.of("sgd momentum, weight decay", new TrainingConfig(new OptimizerSpec.Sgd(0.05, 0.9, false, 1e-4), schedule, 0)),
                Arguments.of("sgd nesterov, clipped", new TrainingConfig(new OptimizerSpec.Sgd(0.05, 0.9, true, 0), schedule, 0.5)),
                Arguments.of("adam", new TrainingConfig(OptimizerSpec.Adam.withLearningRate(1e-3), schedule, 0)),
                Arguments.of("adam, clipped", new TrainingConfig(OptimizerSpec.Adam.withLearningRate(1e-3), schedule, 0.5)),
                Arguments.of("adamw", new TrainingConfig(new OptimizerSpec.AdamW(1e-3, 0.9, 0.999, 1e-8, 0.05), schedule, 1.0)));
    }

    /**
     * @param name the optimizer
     * @param config optimizer, schedule, clipping
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void tenStepsStayTogether(String name, TrainingConfig config) {
        try (TwoBackends.Programs p = backends.compile(scarf.parameters(), scarf.objective(), config)) {
            double worst = 0;
            for (int s = 0; s < batches.size(); s++) {
                StepResult tf = p.tensorflow().step(batches.get(s));
                StepResult dj = p.djl().step(batches.get(s));
                assertEquals(s, dj.step());
                TwoBackends.assertSameLoss(name + " step " + s, tf.loss(), dj.loss());
                worst = Math.max(worst, assertClose(name + " parameters after step " + s, p.tensorflow().parameters(),
                        p.djl().parameters(), PARAMETER_TOLERANCE, 1e-3));
            }
            TrainingState tf = p.tensorflow().state();
            TrainingState dj = p.djl().state();
            assertEquals(tf.step(), dj.step());
            assertEquals(tf.optimizerSlots().names(), dj.optimizerSlots().names(), name + ": the same canonical slots");
            LOG.info("{}: worst parameter error over ten steps {} of the tensor's largest element", name, worst);
        }
    }

    static Stream<Arguments> directions() {
        return Stream.of(Arguments.of("tensorflow", "djl"), Arguments.of("djl", "tensorflow"));
    }

    /**
     * @param from the backend that trains first and saves
     * @param to the backend that resumes
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("directions")
    void aStateSavedOnOneBackendResumesOnTheOther(String from, String to) {
        TrainingConfig config = new TrainingConfig(new OptimizerSpec.AdamW(1e-3, 0.9, 0.999, 1e-8, 0.05),
                LearningRateSchedule.warmupCosine(2, 10), 1.0);
        try (TwoBackends.Programs p = backends.compile(scarf.parameters(), scarf.objective(), config)) {
            TrainingProgram original = from.equals("djl") ? p.djl() : p.tensorflow();
            for (int s = 0; s < 5; s++) {
                original.step(batches.get(s));
            }
            TrainingState saved = original.state();
            assertEquals(5, saved.step());
            ParameterSet otherStart = ParameterSet.initialize(scarf.parameters(), 99);
            try (TrainingProgram resumed = (to.equals("djl") ? backends.djl : backends.tensorflow).compileTraining(scarf.parameters(),
                    scarf.objective(), config, otherStart)) {
                resumed.restore(saved);
                assertEquals(saved.parameters(), resumed.parameters(), "parameters restored exactly");
                assertEquals(saved.optimizerSlots(), resumed.state().optimizerSlots(), "optimizer slots restored exactly");
                for (int s = 5; s < 10; s++) {
                    StepResult a = original.step(batches.get(s));
                    StepResult b = resumed.step(batches.get(s));
                    assertEquals(a.step(), b.step(), "the step count continues");
                    TwoBackends.assertSameLoss(from + " -> " + to + " step " + s, a.loss(), b.loss());
                }
                TrainingState a = original.state();
                TrainingState b = resumed.state();
                double worst = assertClose(from + " -> " + to + " parameters", a.parameters(), b.parameters(), PARAMETER_TOLERANCE, 1e-3);
                assertClose(from + " -> " + to + " slots", a.optimizerSlots(), b.optimizerSlots(), 1e-3, 1e-8);
                LOG.info("{} -> {}: worst parameter error after resuming {}", from, to, worst);
            }
        }
    }
}
