package io.pretext.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.pretext.api.Backend;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.Capability;
import io.pretext.api.backend.Gradients;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.backend.StepResult;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.backend.TrainingState;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Forward;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Mode;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.model.Params;
import io.pretext.api.optim.LearningRateSchedule;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite every backend runs against itself: extend it in the backend module's
 * tests and return the backend from {@link #backend()}.
 *
 * <p>What it pins down:
 * <ul>
 *   <li>every op of {@link Ops} ({@link OpCatalog}) gives the values of the plain-Java
 *       {@link ReferenceOps} on small random inputs (relative tolerance {@link #forwardTolerance()});</li>
 *   <li>every differentiable case's gradient, computed by the backend's training program, agrees
 *       with central finite differences of the reference in double precision;</li>
 *   <li>one optimizer step reproduces PyTorch's formulas ({@link ReferenceOptimizer}) for SGD
 *       (momentum, Nesterov, weight decay), Adam and AdamW, with a warm-up + cosine schedule and
 *       gradient clipping, and a small MLP trained with each optimizer reduces its loss;</li>
 *   <li>parameters travel host -&gt; backend -&gt; host bit for bit, a model built twice from one
 *       seed is identical, a saved state resumes identically, state parameters follow
 *       {@link Params#assign}, and a shape mistake raises {@link ShapeException} naming the op and
 *       shapes.</li>
 * </ul>
 * Tests that need {@link Capability#TRAINING} are skipped (with the reason) for a backend that
 * does not declare it, never silently passed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformanceSuite {

    private static final Batch EMPTY = new Batch(Map.of());
    private static final double FINITE_DIFFERENCE_STEP = 1e-4;

    private BackendSession session;

    /** @return the backend under test (a fresh provider instance) */
    protected abstract Backend backend();

    /** @return the settings the suite opens the backend with; override to pin threads */
    protected BackendSettings settings() {
        return new BackendSettings(0, 0, 42L);
    }

    /** @return the relative tolerance of forward values (float32 against double) */
    protected double forwardTolerance() {
        return 1e-4;
    }

    /** @return the tolerance of gradients, relative to the largest gradient of the case */
    protected double gradientTolerance() {
        return 2e-3;
    }

    /** @return the open session the tests compile programs in */
    protected final BackendSession session() {
        return session;
    }

    @BeforeAll
    final void openBackend() {
        session = backend().open(settings());
    }

    @AfterAll
    final void closeBackend() {
        if (session != null) {
            session.close();
        }
    }

    private void assumeTraining() {
        assumeTrue(backend().hasCapability(Capability.TRAINING), "backend '" + backend().id() + "' does not declare TRAINING");
    }

    // ---- ops: forward values --------------------------------------------------------------

    /** @return one test per op case: backend forward values against the reference */
    @TestFactory
    Stream<DynamicTest> everyOpMatchesTheReference() {
        assumeTrue(backend().hasCapability(Capability.INFERENCE), "backend '" + backend().id() + "' does not declare INFERENCE");
        return OpCatalog.all().stream().map(c -> dynamicTest(c.name(), () -> checkForward(c)));
    }

    private record CaseData(List<ParamSpec> specs, ParameterSet values, List<String> names) {
    }

    private static CaseData data(OpCase c) {
        SplittableRandom random = new SplittableRandom(seedOf(c.name()));
        List<ParamSpec> specs = new ArrayList<>();
        Map<String, HostTensor.Floats> values = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < c.operands().size(); i++) {
            OpCase.Operand o = c.operands().get(i);
            String name = "operand" + i;
            names.add(name);
            specs.add(ParamSpec.trainable(name, o.shape(), new Initializer.Zeros()));
            values.put(name, HostTensor.of(o.shape(), o.values().draw(random, Math.toIntExact(o.shape().size()))));
        }
        return new CaseData(specs, new ParameterSet(values), names);
    }

    private static long seedOf(String name) {
        long h = 1125899906842597L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return h;
    }

    private static List<Tensor> operands(Params params, List<String> names) {
        List<Tensor> in = new ArrayList<>();
        names.forEach(n -> in.add(params.get(n)));
        return in;
    }

    private void checkForward(OpCase c) {
        CaseData d = data(c);
        Forward forward = (ops, params, inputs) -> Map.of("out", c.function().apply(ops, operands(params, d.names())));
        ReferenceOps.Value want = new ReferenceOps().run(forward, d.values(), EMPTY).get("out");
        HostTensor got;
        try (InferenceProgram p = session.compileInference(d.specs(), forward, d.values())) {
            got = p.run(EMPTY).get("out");
        }
        assertEquals(want.shape(), got.shape(), c.name() + ": shape");
        assertEquals(want.dtype(), got.dtype(), c.name() + ": dtype");
        if (got instanceof HostTensor.Floats f) {
            for (int i = 0; i < f.data().length; i++) {
                double w = want.data()[i];
                double tol = forwardTolerance() * (Math.abs(w) + 0.1);
                if (!(Math.abs(f.data()[i] - w) <= tol)) {
                    fail(c.name() + ": element " + i + " is " + f.data()[i] + ", reference " + w + " (tolerance " + tol + ")");
                }
            }
        } else {
            assertEquals(want.toHost(), got, c.name() + ": integer values");
        }
    }

    // ---- ops: gradients ---------------------------------------------------------------------

    /** @return one test per differentiable op case: backend gradient against finite differences */
    @TestFactory
    Stream<DynamicTest> everyOpGradientMatchesFiniteDifferences() {
        assumeTraining();
        return OpCatalog.all().stream().filter(OpCase::differentiable).map(c -> dynamicTest(c.name(), () -> checkGradient(c)));
    }

    private void checkGradient(OpCase c) {
        CaseData d = data(c);
        ReferenceOps ref = new ReferenceOps();
        List<Tensor> base = new ArrayList<>();
        for (String n : d.names()) {
            base.add(ReferenceOps.of(d.values().get(n)));
        }
        // A random weighting of the output makes every output element matter (a plain sum would
        // give softmax a zero gradient).
        Shape outShape = c.function().apply(ref, base).shape();
        SplittableRandom random = new SplittableRandom(seedOf(c.name()) + 1);
        HostTensor.Floats weights = HostTensor.of(outShape, OpCase.uniform(-1, 1).draw(random, Math.toIntExact(outShape.size())));
        Objective objective = (ops, params, inputs, mode) -> LossOutput.of(weighted(ops, c, operands(params, d.names()), weights));

        Gradients got;
        try (TrainingProgram p = session.compileTraining(d.specs(), objective, TrainingConfig.of(new OptimizerSpec.Sgd(0.1, 0, false, 0)),
                d.values())) {
            got = p.gradients(EMPTY);
        }
        double refLoss = ((ReferenceOps.Value) weighted(ref, c, base, weights)).item();
        assertEquals(refLoss, got.loss(), forwardTolerance() * (Math.abs(refLoss) + 0.1), c.name() + ": loss");

        for (int k = 0; k < d.names().size(); k++) {
            String name = d.names().get(k);
            ReferenceOps.Value x = (ReferenceOps.Value) base.get(k);
            double[] numeric = new double[x.data().length];
            double scale = 1e-3;
            for (int i = 0; i < numeric.length; i++) {
                numeric[i] = centralDifference(ref, c, base, k, i, weights);
                scale = Math.max(scale, Math.abs(numeric[i]));
            }
            float[] analytic = got.gradients().get(name).data();
            assertEquals(numeric.length, analytic.length, c.name() + ": gradient size of " + name);
            for (int i = 0; i < numeric.length; i++) {
                double tol = gradientTolerance() * scale;
                if (!(Math.abs(analytic[i] - numeric[i]) <= tol)) {
                    fail(c.name() + ": d loss / d " + name + "[" + i + "] is " + analytic[i] + ", finite differences give " + numeric[i]
                            + " (tolerance " + tol + ")");
                }
            }
        }
    }

    private static Tensor weighted(Ops ops, OpCase c, List<Tensor> in, HostTensor.Floats weights) {
        return ops.sum(ops.mul(c.function().apply(ops, in), ops.constant(weights)), new int[0], false);
    }

    private static double centralDifference(ReferenceOps ref, OpCase c, List<Tensor> base, int operand, int index,
                                            HostTensor.Floats weights) {
        double[] losses = new double[2];
        for (int s = 0; s < 2; s++) {
            ReferenceOps.Value x = (ReferenceOps.Value) base.get(operand);
            double[] moved = x.data().clone();
            moved[index] += s == 0 ? FINITE_DIFFERENCE_STEP : -FINITE_DIFFERENCE_STEP;
            List<Tensor> in = new ArrayList<>(base);
            in.set(operand, ReferenceOps.floats(x.shape(), moved));
            losses[s] = ((ReferenceOps.Value) weighted(ref, c, in, weights)).item();
        }
        return (losses[0] - losses[1]) / (2 * FINITE_DIFFERENCE_STEP);
    }

    /** stopGradient passes values and blocks gradients; a parameter reached only through it gets zero. */
    @Test
    void stopGradientPassesValuesButNoGradient() {
        assumeTraining();
        List<ParamSpec> specs = List.of(ParamSpec.trainable("a", Shape.of(2, 3), new Initializer.Zeros()),
                ParamSpec.trainable("b", Shape.of(2, 3), new Initializer.Zeros()),
                ParamSpec.trainable("only-stopped", Shape.of(3), new Initializer.Zeros()));
        ParameterSet values = new ParameterSet(Map.of(
                "a", HostTensor.of(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6}),
                "b", HostTensor.of(Shape.of(2, 3), new float[] {-1, 0.5f, 2, 0.25f, -3, 1}),
                "only-stopped", HostTensor.of(Shape.of(3), new float[] {1, 1, 1})));
        float[] c = {0.5f, -1, 2, 1, 1, -0.5f};
        Objective objective = (ops, params, inputs, mode) -> {
            Tensor a = params.get("a");
            Tensor stopped = ops.stopGradient(a);
            Tensor loss = ops.add(ops.sum(ops.mul(stopped, params.get("b")), new int[0], false),
                    ops.sum(ops.mul(a, ops.constant(HostTensor.of(Shape.of(2, 3), c))), new int[0], false));
            loss = ops.add(loss, ops.sum(ops.stopGradient(params.get("only-stopped")), new int[0], false));
            return LossOutput.of(loss);
        };
        try (TrainingProgram p = session.compileTraining(specs, objective, TrainingConfig.of(new OptimizerSpec.Sgd(0.1, 0, false, 0)),
                values)) {
            Gradients g = p.gradients(EMPTY);
            // loss = sum(a*b) + sum(a*c) + 3 = (-1+1+6+1-15+6) + (0.5-2+6+4+5-3) + 3
            assertEquals(-2 + 10.5 + 3, g.loss(), 1e-5);
            assertArrayEquals(c, g.gradients().get("a").data(), 1e-6f, "gradient of a must skip the stopped path");
            assertArrayEquals(values.get("a").data(), g.gradients().get("b").data(), 1e-6f);
            assertArrayEquals(new float[3], g.gradients().get("only-stopped").data(), "only reached through stopGradient");
            p.step(EMPTY);
            assertArrayEquals(values.get("only-stopped").data(), p.parameters().get("only-stopped").data(),
                    "a parameter without gradient is not updated");
        }
    }

    /**
     * A 1x1 convolution (a ResNet shortcut, 8 to 16 channels, stride 2) trained on 64x64 images. oneDNN's 1x1
     * backward-weights kernel corrupted native memory for exactly this shape in both TensorFlow's and PyTorch's CPU
     * builds (the JVM aborted); a backend must not hand it such a case. A crash fails the build; the loss must also fall.
     */
    @Test
    void oneByOneConvolutionTrainsOnLargeImages() {
        assumeTraining();
        List<ParamSpec> specs = List.of(ParamSpec.trainable("shortcut", Shape.of(1, 1, 8, 16), new Initializer.GlorotUniform()));
        java.util.SplittableRandom r = new java.util.SplittableRandom(64);
        float[] x = new float[8 * 64 * 64 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Batch batch = new Batch(Map.of("x", HostTensor.of(Shape.of(8, 64, 64, 8), x)));
        Objective objective = (ops, params, inputs, mode) -> {
            Tensor y = ops.conv2d(ops.fromNhwc(inputs.get("x")), params.get("shortcut"), 2, 2, io.pretext.api.tensor.Padding.SAME);
            Tensor target = ops.scalar(1f);
            return LossOutput.of(ops.mean(ops.square(ops.sub(y, target)), new int[0], false));
        };
        try (TrainingProgram p = session.compileTraining(specs, objective, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(0.05)),
                ParameterSet.initialize(specs, 3))) {
            double first = p.step(batch).loss();
            double last = first;
            for (int i = 0; i < 5; i++) {
                last = p.step(batch).loss();
            }
            assertTrue(Double.isFinite(last) && last < first, "loss " + first + " -> " + last);
        }
    }

    // ---- dropout ------------------------------------------------------------------------

    /** Inverted dropout: survivors scaled by 1 / (1 - rate), the dropped share near the rate, new masks each run. */
    @Test
    void dropoutDropsTheRateAndScalesSurvivors() {
        float rate = 0.25f;
        List<ParamSpec> specs = List.of(ParamSpec.trainable("x", Shape.of(64, 64), new Initializer.Constant(1f)));
        ParameterSet values = ParameterSet.initialize(specs, 1);
        Forward forward = (ops, params, inputs) -> Map.of("dropped", ops.dropout(params.get("x"), rate),
                "kept", ops.dropout(params.get("x"), 0f));
        try (InferenceProgram p = session.compileInference(specs, forward, values)) {
            Map<String, HostTensor> first = p.run(EMPTY);
            Map<String, HostTensor> second = p.run(EMPTY);
            float[] a = ((HostTensor.Floats) first.get("dropped")).data();
            int zeros = 0;
            for (float v : a) {
                if (v == 0f) {
                    zeros++;
                } else {
                    assertEquals(1 / (1 - rate), v, 1e-6, "survivors are scaled by 1 / (1 - rate)");
                }
            }
            assertEquals(rate, zeros / (double) a.length, 0.04, "share dropped");
            assertNotEquals(first.get("dropped"), second.get("dropped"), "each run draws a new mask");
            assertEquals(values.get("x"), first.get("kept"), "rate 0 is the identity");
        }
    }

    /** The gradient of dropout is the mask, scaled. */
    @Test
    void dropoutGradientIsTheScaledMask() {
        assumeTraining();
        List<ParamSpec> specs = List.of(ParamSpec.trainable("x", Shape.of(32, 32), new Initializer.Constant(1f)));
        Objective objective = (ops, params, inputs, mode) -> LossOutput.of(ops.sum(ops.dropout(params.get("x"), 0.5f), new int[0], false));
        try (TrainingProgram p = session.compileTraining(specs, objective, TrainingConfig.of(new OptimizerSpec.Sgd(0.1, 0, false, 0)),
                ParameterSet.initialize(specs, 1))) {
            Gradients g = p.gradients(EMPTY);
            int kept = 0;
            for (float v : g.gradients().get("x").data()) {
                assertTrue(v == 0f || Math.abs(v - 2f) < 1e-6, "gradient element " + v + " is neither 0 nor 1 / (1 - 0.5)");
                kept += v == 0f ? 0 : 1;
            }
            assertEquals(kept * 2.0, g.loss(), 1e-3, "the loss counts the same survivors as the gradient");
            assertEquals(0.5, kept / 1024.0, 0.08);
        }
    }

    // ---- training -----------------------------------------------------------------------

    private static final List<ParamSpec> MLP = List.of(
            ParamSpec.trainable("mlp/dense0/kernel", Shape.of(6, 16), new Initializer.FanInUniform()),
            ParamSpec.trainable("mlp/dense0/bias", Shape.of(16), new Initializer.Uniform(1 / Math.sqrt(6))),
            ParamSpec.trainable("mlp/dense1/kernel", Shape.of(16, 1), new Initializer.FanInUniform()),
            ParamSpec.trainable("mlp/dense1/bias", Shape.of(1), new Initializer.Uniform(0.25)));

    private static Tensor mlpPrediction(Ops ops, Params params, Tensor x) {
        Tensor h = ops.tanh(ops.add(ops.matmul(x, params.get("mlp/dense0/kernel")), params.get("mlp/dense0/bias")));
        return ops.add(ops.matmul(h, params.get("mlp/dense1/kernel")), params.get("mlp/dense1/bias"));
    }

    /** Mean squared error of the MLP on inputs "x" [N, 6] and targets "y" [N, 1], with the mean absolute error as a metric. */
    private static final Objective MSE = (ops, params, inputs, mode) -> {
        Tensor error = ops.sub(mlpPrediction(ops, params, inputs.get("x")), inputs.get("y"));
        return new LossOutput(ops.mean(ops.square(error), new int[0], false), Map.of("mae", ops.mean(ops.abs(error), new int[0], false)));
    };

    /**
     * @param rows batch size
     * @param seed data seed
     * @return a fixed regression problem: y = sin(x . u) + 0.5 x0 x1 over 6 Gaussian features
     */
    protected static Batch regressionBatch(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * 6];
        float[] y = new float[rows];
        double[] u = {0.9, -0.6, 0.4, 0.3, -0.8, 0.5};
        for (int i = 0; i < rows; i++) {
            double dot = 0;
            for (int j = 0; j < 6; j++) {
                float v = (float) r.nextGaussian();
                x[i * 6 + j] = v;
                dot += u[j] * v;
            }
            y[i] = (float) (Math.sin(dot) + 0.5 * x[i * 6] * x[i * 6 + 1]);
        }
        return new Batch(Map.of("x", HostTensor.of(Shape.of(rows, 6), x), "y", HostTensor.of(Shape.of(rows, 1), y)));
    }

    static Stream<Arguments> optimizers() {
        LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(10, 200);
        return Stream.of(
                Arguments.of("sgd momentum", new TrainingConfig(new OptimizerSpec.Sgd(0.05, 0.9, false, 0), schedule, 1.0)),
                Arguments.of("adam", new TrainingConfig(OptimizerSpec.Adam.withLearningRate(0.02), schedule, 1.0)),
                Arguments.of("adamw", new TrainingConfig(new OptimizerSpec.AdamW(0.02, 0.9, 0.999, 1e-8, 0.01), schedule, 1.0)));
    }

    /**
     * @param name optimizer name
     * @param config optimizer with warm-up + cosine schedule and clipping
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void smallMlpLearnsAFixedProblemWithEachOptimizer(String name, TrainingConfig config) {
        assumeTraining();
        Batch batch = regressionBatch(64, 3);
        try (TrainingProgram p = session.compileTraining(MLP, MSE, config, ParameterSet.initialize(MLP, 11))) {
            double first = Double.NaN;
            double last = Double.NaN;
            for (int s = 0; s < 200; s++) {
                StepResult r = p.step(batch);
                assertEquals(s, r.step());
                assertTrue(Double.isFinite(r.loss()), name + ": loss at step " + s + " is " + r.loss());
                assertTrue(r.metrics().containsKey("mae"), "the objective's metrics are reported");
                if (s == 0) {
                    first = r.loss();
                }
                last = r.loss();
            }
            assertTrue(last < 0.35 * first, name + ": loss went from " + first + " to " + last);
        }
    }

    static Stream<Arguments> updateRules() {
        LearningRateSchedule schedule = new LearningRateSchedule(LearningRateSchedule.Decay.COSINE, 2, 6, 0.1);
        return Stream.of(
                Arguments.of("sgd", new TrainingConfig(new OptimizerSpec.Sgd(0.1, 0, false, 0), LearningRateSchedule.constant(), 0)),
                Arguments.of("sgd momentum + weight decay", new TrainingConfig(new OptimizerSpec.Sgd(0.1, 0.9, false, 0.01), schedule, 0)),
                Arguments.of("sgd nesterov, clipped", new TrainingConfig(new OptimizerSpec.Sgd(0.1, 0.8, true, 0), schedule, 0.05)),
                Arguments.of("adam", new TrainingConfig(new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8), schedule, 0)),
                Arguments.of("adam, clipped", new TrainingConfig(new OptimizerSpec.Adam(0.01, 0.8, 0.99, 1e-6), schedule, 0.05)),
                Arguments.of("adamw", new TrainingConfig(new OptimizerSpec.AdamW(0.01, 0.9, 0.999, 1e-8, 0.1), schedule, 0.5)));
    }

    /**
     * Each step moves parameters and slots exactly as PyTorch would from the backend's own gradient.
     *
     * @param name what is checked
     * @param config optimizer, schedule, clipping
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("updateRules")
    void optimizerStepFollowsPyTorchsFormula(String name, TrainingConfig config) {
        assumeTraining();
        Batch batch = regressionBatch(16, 5);
        try (TrainingProgram p = session.compileTraining(MLP, MSE, config, ParameterSet.initialize(MLP, 2))) {
            for (int s = 0; s < 5; s++) {
                TrainingState before = p.state();
                Gradients g = p.gradients(batch);
                assertEquals(before.parameters(), p.parameters(), "gradients() must not change parameters");
                p.step(batch);
                TrainingState after = p.state();
                TrainingState expected = ReferenceOptimizer.step(config, before, g.gradients());
                assertEquals(expected.step(), after.step(), name + ": step count");
                // Errors are judged against the step size too: a parameter near zero still moves by ~lr.
                assertClose(name + " step " + s + " parameters", expected.parameters(), after.parameters(), 1e-5,
                        config.optimizer().learningRate());
                assertEquals(expected.optimizerSlots().names(), after.optimizerSlots().names(), name + ": slot names");
                // Slots get a looser bound: fused float32 kernels compute 1 - beta2 in float (1.3e-5 off for 0.999).
                assertClose(name + " step " + s + " slots", expected.optimizerSlots(), after.optimizerSlots(), 1e-4, 1e-6);
            }
        }
    }

    private static void assertClose(String what, ParameterSet expected, ParameterSet actual, double relative) {
        assertClose(what, expected, actual, relative, 1e-6);
    }

    // |actual - expected| <= relative * max(largest |expected| of the tensor, floor)
    private static void assertClose(String what, ParameterSet expected, ParameterSet actual, double relative, double floor) {
        assertEquals(expected.names(), actual.names(), what + ": names");
        for (String n : expected.names()) {
            float[] e = expected.get(n).data();
            float[] a = actual.get(n).data();
            double scale = floor;
            for (float v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < e.length; i++) {
                if (!(Math.abs(e[i] - a[i]) <= relative * scale)) {
                    fail(what + ": " + n + "[" + i + "] is " + a[i] + ", expected " + e[i]);
                }
            }
        }
    }

    /** The loss a step reports is the loss before the update, and so is its metric. */
    @Test
    void stepReportsLossAndMetricsBeforeTheUpdate() {
        assumeTraining();
        Batch batch = regressionBatch(16, 8);
        ParameterSet initial = ParameterSet.initialize(MLP, 4);
        LossOutput ref = new ReferenceOps().evaluate(MSE, initial, batch, Mode.TRAIN);
        try (TrainingProgram p = session.compileTraining(MLP, MSE, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(0.01)),
                initial)) {
            StepResult r = p.step(batch);
            double loss = ((ReferenceOps.Value) ref.loss()).item();
            double mae = ((ReferenceOps.Value) ref.metrics().get("mae")).item();
            assertEquals(loss, r.loss(), 1e-4 * (loss + 0.1));
            assertEquals(mae, r.metrics().get("mae"), 1e-4 * (mae + 0.1));
            assertNotEquals(initial, p.parameters(), "the step updated the parameters");
        }
    }

    /** Batches of another shape compile another subgraph over the same parameters. */
    @Test
    void batchesOfDifferentSizesShareParameters() {
        assumeTraining();
        try (TrainingProgram p = session.compileTraining(MLP, MSE, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(0.01)),
                ParameterSet.initialize(MLP, 4))) {
            p.step(regressionBatch(16, 1));
            p.step(regressionBatch(16, 2));
            ParameterSet now = p.parameters();
            Batch small = regressionBatch(5, 3);
            double expected = new ReferenceOps().loss(MSE, now, small, Mode.TRAIN);
            assertEquals(expected, p.gradients(small).loss(), 1e-4 * (expected + 0.1));
            p.step(small);
            p.step(regressionBatch(16, 4));
            assertEquals(4, p.state().step());
        }
    }

    // ---- parameters in and out ------------------------------------------------------------

    /** Values of every kind (negative zero, subnormal, extremes) travel host -> backend -> host bit for bit. */
    @Test
    void parametersRoundTripExactly() {
        float[] awkward = {0f, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL / 3, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, (float) Math.PI,
            0.1f, -7.25e12f, 1f / 3, Math.nextUp(1f)};
        List<ParamSpec> specs = List.of(ParamSpec.trainable("w", Shape.of(3, 4), new Initializer.Zeros()),
                ParamSpec.state("s", Shape.of(12), new Initializer.Zeros()),
                ParamSpec.trainable("scalar", Shape.SCALAR, new Initializer.Zeros()));
        ParameterSet values = new ParameterSet(Map.of("w", HostTensor.of(Shape.of(3, 4), awkward.clone()),
                "s", HostTensor.of(Shape.of(12), awkward.clone()), "scalar", HostTensor.scalar(-0.0f)));
        Forward identity = (ops, params, inputs) -> Map.of("w", params.get("w"), "s", params.get("s"));
        try (InferenceProgram p = session.compileInference(specs, identity, values)) {
            Map<String, HostTensor> out = p.run(EMPTY);
            assertEquals(values.get("w"), out.get("w"));
            assertEquals(values.get("s"), out.get("s"));
        }
        if (backend().hasCapability(Capability.TRAINING)) {
            Objective objective = (ops, params, inputs, mode) -> LossOutput.of(ops.sum(ops.square(params.get("scalar")), new int[0], false));
            try (TrainingProgram p = session.compileTraining(specs, objective, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(0.1)),
                    values)) {
                assertEquals(values, p.parameters());
                TrainingState state = p.state();
                assertEquals(0, state.step());
                ParameterSet other = ParameterSet.initialize(specs, 99);
                p.restore(new TrainingState(other, new ParameterSet(Map.of()), 0));
                assertEquals(other, p.parameters());
                p.restore(state);
                assertEquals(values, p.parameters());
                assertEquals(state.optimizerSlots(), p.state().optimizerSlots());
            }
        }
    }

    /**
     * A state is loaded the same way on every backend: slots the optimizer does not use are
     * ignored, missing ones start at zero, and a bad state is refused before anything changes.
     */
    @Test
    void restoreFillsMissingSlotsIgnoresForeignOnesAndRefusesBadStates() {
        assumeTrue(backend().hasCapability(Capability.TRAINING), "backend cannot train");
        ParameterSet values = ParameterSet.initialize(MLP, 5);
        try (TrainingProgram p = session.compileTraining(MLP, MSE, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(0.01)), values)) {
            p.step(regressionBatch(16, 3));
            TrainingState trained = p.state();
            String weight = MLP.get(0).name();
            Shape shape = MLP.get(0).shape();
            float[] oneValues = new float[Math.toIntExact(shape.size())];
            Arrays.fill(oneValues, 1f);
            HostTensor.Floats ones = HostTensor.of(shape, oneValues);
            // an SGD-momentum slot means nothing to Adam; the Adam slots it lacks start at zero
            p.restore(new TrainingState(values, new ParameterSet(Map.of(TrainingState.slotName(weight, OptimizerSpec.MOMENTUM), ones)), 7));
            assertEquals(values, p.parameters());
            assertEquals(7, p.state().step());
            for (HostTensor.Floats slot : p.state().optimizerSlots().asMap().values()) {
                for (float v : slot.data()) {
                    assertEquals(0f, v);
                }
            }
            p.restore(trained);
            HostTensor.Floats wrongShape = HostTensor.of(Shape.of(1), new float[] {1f});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.restore(new TrainingState(values,
                    new ParameterSet(Map.of(TrainingState.slotName(weight, OptimizerSpec.ADAM_M), wrongShape)), 1)));
            assertTrue(e.getMessage().contains(TrainingState.slotName(weight, OptimizerSpec.ADAM_M)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> p.restore(new TrainingState(values, new ParameterSet(Map.of()), -1)));
            assertEquals(trained.parameters(), p.parameters(), "a refused state must leave the program as it was");
            assertEquals(trained.optimizerSlots(), p.state().optimizerSlots());
            assertEquals(trained.step(), p.state().step());
        }
    }

    /** Two models built from one seed start identical and compute identical losses and gradients. */
    @Test
    void sameSeedBuildsTheSameModel() {
        ParameterSet a = ParameterSet.initialize(MLP, 123);
        ParameterSet b = ParameterSet.initialize(MLP, 123);
        assertEquals(a, b);
        assertNotEquals(a, ParameterSet.initialize(MLP, 124));
        Batch batch = regressionBatch(16, 9);
        Forward forward = (ops, params, inputs) -> Map.of("y", mlpPrediction(ops, params, inputs.get("x")));
        try (InferenceProgram p = session.compileInference(MLP, forward, a);
             InferenceProgram q = session.compileInference(MLP, forward, b)) {
            assertEquals(p.run(batch), q.run(batch));
        }
        if (backend().hasCapability(Capability.TRAINING)) {
            TrainingConfig config = TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(0.01));
            try (TrainingProgram p = session.compileTraining(MLP, MSE, config, a);
                 TrainingProgram q = session.compileTraining(MLP, MSE, config, b)) {
                assertEquals(p.parameters(), q.parameters());
                Gradients gp = p.gradients(batch);
                Gradients gq = q.gradients(batch);
                assertEquals(gp.loss(), gq.loss());
                assertClose("gradients", gp.gradients(), gq.gradients(), 1e-6);
            }
        }
    }

    /** A state saved mid-run and restored into a fresh program continues exactly like the original. */
    @Test
    void restoredStateContinuesLikeTheOriginal() {
        assumeTraining();
        TrainingConfig config = new TrainingConfig(OptimizerSpec.Adam.withLearningRate(0.01), LearningRateSchedule.warmupCosine(3, 20), 1.0);
        Batch batch = regressionBatch(16, 10);
        TrainingState saved;
        ParameterSet continued;
        try (TrainingProgram p = session.compileTraining(MLP, MSE, config, ParameterSet.initialize(MLP, 5))) {
            for (int s = 0; s < 4; s++) {
                p.step(batch);
            }
            saved = p.state();
            assertEquals(4, saved.step());
            assertEquals(2 * MLP.size(), saved.optimizerSlots().names().size(), "Adam keeps two slots per parameter");
            p.step(batch);
            p.step(batch);
            continued = p.parameters();
        }
        try (TrainingProgram q = session.compileTraining(MLP, MSE, config, ParameterSet.initialize(MLP, 77))) {
            q.restore(saved);
            assertEquals(saved.parameters(), q.parameters());
            q.step(batch);
            StepResult r = q.step(batch);
            assertEquals(5, r.step(), "the step count continues from the saved state");
            assertClose("resumed parameters", continued, q.parameters(), 1e-6);
        }
    }

    // ---- state parameters ---------------------------------------------------------------

    /** State parameters change only through Params.assign, only in training, and get no gradient. */
    @Test
    void stateParametersFollowAssignInTrainingOnly() {
        assumeTraining();
        List<ParamSpec> specs = new ArrayList<>(MLP);
        specs.add(ParamSpec.state("stats/mean", Shape.of(6), new Initializer.Zeros()));
        Objective objective = (ops, params, inputs, mode) -> {
            if (mode == Mode.TRAIN) {
                Tensor batchMean = ops.mean(inputs.get("x"), new int[] {0}, false);
                params.assign("stats/mean", ops.add(ops.mul(params.get("stats/mean"), ops.scalar(0.9f)), ops.mul(batchMean, ops.scalar(0.1f))));
            }
            return MSE.apply(ops, params, inputs, mode);
        };
        Batch batch = regressionBatch(8, 6);
        float[] x = ((HostTensor.Floats) batch.get("x")).data();
        float[] expected = new float[6];
        for (int j = 0; j < 6; j++) {
            double s = 0;
            for (int i = 0; i < 8; i++) {
                s += x[i * 6 + j];
            }
            expected[j] = (float) (0.1 * s / 8);
        }
        try (TrainingProgram p = session.compileTraining(specs, objective, TrainingConfig.of(new OptimizerSpec.Sgd(0.1, 0.9, false, 0.1)),
                ParameterSet.initialize(specs, 3))) {
            Gradients g = p.gradients(batch);
            assertTrue(!g.gradients().names().contains("stats/mean"), "state parameters get no gradient");
            assertArrayEquals(new float[6], p.parameters().get("stats/mean").data(), "gradients() applies no assignment");
            p.step(batch);
            assertArrayEquals(expected, p.parameters().get("stats/mean").data(), 1e-6f);
            assertTrue(!p.state().optimizerSlots().names().contains("stats/mean/momentum"), "no optimizer slot for state");
        }
        Forward eval = (ops, params, inputs) -> {
            params.assign("stats/mean", ops.add(params.get("stats/mean"), ops.scalar(1f)));
            return Map.of("mean", params.get("stats/mean"));
        };
        ParameterSet values = ParameterSet.initialize(specs, 3);
        try (InferenceProgram p = session.compileInference(specs, eval, values)) {
            p.run(batch);
            assertEquals(values.get("stats/mean"), p.run(batch).get("mean"), "inference ignores assignments");
        }
    }

    /** Params.assign keeps its contract (ParamSpec.checkAssignable): no trainable parameter, no value of another shape. */
    @Test
    void assignRefusesTrainableParametersAndWrongShapes() {
        assumeTraining();
        List<ParamSpec> specs = new ArrayList<>(MLP);
        specs.add(ParamSpec.state("stats/mean", Shape.of(6), new Initializer.Zeros()));
        Batch batch = regressionBatch(8, 1);
        String trainable = MLP.get(0).name();
        Objective assignsTrainable = (ops, params, inputs, mode) -> {
            params.assign(trainable, params.get(trainable));
            return LossOutput.of(ops.sum(params.get(trainable), new int[0], false));
        };
        Objective assignsWrongShape = (ops, params, inputs, mode) -> {
            params.assign("stats/mean", ops.constant(HostTensor.of(Shape.of(3), new float[3])));
            return LossOutput.of(ops.sum(params.get(trainable), new int[0], false));
        };
        TrainingConfig config = TrainingConfig.of(new OptimizerSpec.Sgd(0.1, 0, false, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (TrainingProgram p = session.compileTraining(specs, assignsTrainable, config, ParameterSet.initialize(specs, 1))) {
                p.step(batch);
            }
        });
        assertTrue(e.getMessage().contains(trainable) && e.getMessage().contains("trainable"), e.getMessage());
        ShapeException shape = assertThrows(ShapeException.class, () -> {
            try (TrainingProgram p = session.compileTraining(specs, assignsWrongShape, config, ParameterSet.initialize(specs, 1))) {
                p.step(batch);
            }
        });
        assertEquals("assign", shape.op());
        assertTrue(shape.getMessage().contains("stats/mean") && shape.getMessage().contains("[3]"), shape.getMessage());
    }

    // ---- errors -------------------------------------------------------------------------

    /** A matmul of mismatched operands fails with a ShapeException naming matmul and both shapes. */
    @Test
    void mismatchedMatmulNamesTheOpAndShapes() {
        Batch batch = regressionBatch(8, 1);
        Forward bad = (ops, params, inputs) -> Map.of("y", ops.matmul(inputs.get("x"), params.get("mlp/dense1/kernel")));
        try (InferenceProgram p = session.compileInference(MLP, bad, ParameterSet.initialize(MLP, 1))) {
            ShapeException e = assertThrows(ShapeException.class, () -> p.run(batch));
            assertEquals("matmul", e.op());
            assertTrue(e.getMessage().contains("[8, 6]") && e.getMessage().contains("[16, 1]"), e.getMessage());
        }
        if (backend().hasCapability(Capability.TRAINING)) {
            Objective badLoss = (ops, params, inputs, mode) -> LossOutput.of(ops.sum(bad.apply(ops, params, inputs).get("y"), new int[0], false));
            try (TrainingProgram p = session.compileTraining(MLP, badLoss, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(0.1)),
                    ParameterSet.initialize(MLP, 1))) {
                ShapeException e = assertThrows(ShapeException.class, () -> p.step(batch));
                assertEquals("matmul", e.op());
                assertTrue(e.getMessage().contains("[8, 6]") && e.getMessage().contains("[16, 1]"), e.getMessage());
            }
        }
    }

    /** Other shape and dtype mistakes are ShapeExceptions too, raised before any native code runs. */
    @Test
    void shapeAndDtypeMistakesAreShapeExceptions() {
        Batch batch = regressionBatch(8, 1);
        Map<String, Forward> mistakes = new LinkedHashMap<>();
        mistakes.put("add", (ops, params, inputs) -> Map.of("y", ops.add(inputs.get("x"), params.get("mlp/dense0/bias"))));
        mistakes.put("reshape", (ops, params, inputs) -> Map.of("y", ops.reshape(inputs.get("x"), Shape.of(7, 7))));
        mistakes.put("concat", (ops, params, inputs) -> Map.of("y", ops.concat(List.of(inputs.get("x"), inputs.get("y")), 0)));
        mistakes.put("mul", (ops, params, inputs) -> Map.of("y", ops.mul(inputs.get("x"), ops.cast(inputs.get("x"), DType.INT32))));
        for (Map.Entry<String, Forward> m : mistakes.entrySet()) {
            try (InferenceProgram p = session.compileInference(MLP, m.getValue(), ParameterSet.initialize(MLP, 1))) {
                ShapeException e = assertThrows(ShapeException.class, () -> p.run(batch), m.getKey());
                assertEquals(m.getKey(), e.op());
            }
        }
    }
}
