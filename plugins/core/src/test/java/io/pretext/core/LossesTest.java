package io.pretext.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.LossOutput;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.core.loss.BarlowTwinsLoss;
import io.pretext.core.loss.ContrastiveMarginLoss;
import io.pretext.core.loss.CrossEntropyLoss;
import io.pretext.core.loss.InfoNceLoss;
import io.pretext.core.loss.MseLoss;
import io.pretext.core.loss.NtXentLoss;
import io.pretext.core.loss.TripletLoss;
import io.pretext.core.loss.VicRegLoss;
import io.pretext.testkit.ReferenceOps;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each loss against values computed by hand: either tiny cases worked out on paper, or a direct
 * textbook loop in double precision that shares no code with the loss.
 */
class LossesTest {
    private final ReferenceOps ops = new ReferenceOps();

    private static double[][] random(int n, int d, long seed) {
        Random r = new Random(seed);
        double[][] m = new double[n][d];
        for (double[] row : m) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return m;
    }

    private static ReferenceOps.Value value(double[][] m) {
        int n = m.length;
        int d = m[0].length;
        double[] flat = new double[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, flat, i * d, d);
        }
        return ReferenceOps.floats(Shape.of(n, d), flat);
    }

    private double compute(Loss loss, Map<String, ?> options, LossInputs inputs) {
        LossFunction f = loss.create(Options.resolve("loss", loss.options(), options));
        LossOutput out = f.compute(ops, inputs);
        return ((ReferenceOps.Value) out.loss()).item();
    }

    private static double[] normalize(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double n = Math.sqrt(s);
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] / n;
        }
        return o;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double dist(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void infoNceOfOrthogonalPerfectPairsIsTheSoftmaxOfTheTemperature() {
        // Two rows, each its own positive, orthogonal to the other: logits [[1/t, 0], [0, 1/t]].
        double[][] a = {{1, 0}, {0, 1}};
        double t = 0.5;
        double expected = -Math.log(Math.exp(2) / (Math.exp(2) + 1));
        double got = compute(new InfoNceLoss(), Map.of("temperature", t), new LossInputs.Pair(value(a), value(a)));
        assertEquals(expected, got, 1e-12);
    }

    @Test
    void infoNceMatchesTextbookLoop() {
        double[][] a = random(5, 3, 1);
        double[][] b = random(5, 3, 2);
        double t = 0.1;
        double total = 0;
        for (int i = 0; i < 5; i++) {
            double[] ai = normalize(a[i]);
            double denom = 0;
            for (int j = 0; j < 5; j++) {
                denom += Math.exp(dot(ai, normalize(b[j])) / t);
            }
            total += -(dot(ai, normalize(b[i])) / t - Math.log(denom));
        }
        double got = compute(new InfoNceLoss(), Map.of("temperature", t), new LossInputs.Pair(value(a), value(b)));
        // The temperature crosses the op layer as a float32 scalar: agreement to float precision.
        assertEquals(total / 5, got, 1e-6);
    }

    @Test
    void ntXentMatchesTextbookLoop() {
        double[][] a = random(4, 3, 3);
        double[][] b = random(4, 3, 4);
        double t = 0.5;
        double[][] z = new double[8][];
        for (int i = 0; i < 4; i++) {
            z[i] = normalize(a[i]);
            z[i + 4] = normalize(b[i]);
        }
        double total = 0;
        for (int i = 0; i < 8; i++) {
            int pos = i < 4 ? i + 4 : i - 4;
            double denom = 0;
            for (int k = 0; k < 8; k++) {
                if (k != i) {
                    denom += Math.exp(dot(z[i], z[k]) / t);
                }
            }
            total += -(dot(z[i], z[pos]) / t - Math.log(denom));
        }
        double got = compute(new NtXentLoss(), Map.of("temperature", t), new LossInputs.Pair(value(a), value(b)));
        assertEquals(total / 8, got, 1e-9);
    }

    @Test
    void contrastiveMarginOnHandWorkedCase() {
        // Unnormalized: positives at distance 1 and 0; negatives at distance sqrt(2)/... computed below.
        double[][] a = {{0, 0}, {1, 0}};
        double[][] b = {{0, 1}, {1, 0}};
        // d(a0,b0)=1, d(a1,b1)=0 -> positive mean of d^2 = (1 + 0) / 2 = 0.5
        // d(a0,b1)=1, d(a1,b0)=sqrt2 -> margin 2: ((2-1)^2 + (2-sqrt2)^2) / 2
        double expected = 0.5 + (1 + Math.pow(2 - Math.sqrt(2), 2)) / 2;
        double got = compute(new ContrastiveMarginLoss(), Map.of("margin", 2.0, "normalize", false),
                new LossInputs.Pair(value(a), value(b)));
        assertEquals(expected, got, 1e-6);
    }

    @Test
    void tripletAllAndHardestMatchTextbookLoops() {
        double[][] a = random(4, 3, 5);
        double[][] b = random(4, 3, 6);
        double m = 0.5;
        double all = 0;
        double hardest = 0;
        for (int i = 0; i < 4; i++) {
            double[] ai = normalize(a[i]);
            double dp = dist(ai, normalize(b[i]));
            double worst = 0;
            for (int j = 0; j < 4; j++) {
                if (j != i) {
                    double v = Math.max(0, dp - dist(ai, normalize(b[j])) + m);
                    all += v;
                    worst = Math.max(worst, v);
                }
            }
            hardest += worst;
        }
        LossInputs in = new LossInputs.Pair(value(a), value(b));
        assertEquals(all / 12, compute(new TripletLoss(), Map.of("margin", m), in), 1e-6);
        assertEquals(hardest / 4, compute(new TripletLoss(), Map.of("margin", m, "mining", "hardest"), in), 1e-6);
    }

    @Test
    void vicRegMatchesTextbookTerms() {
        int n = 6;
        int d = 3;
        double[][] a = random(n, d, 7);
        double[][] b = random(n, d, 8);
        double inv = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                inv += Math.pow(a[i][j] - b[i][j], 2);
            }
        }
        inv /= n * d;
        double var = (varTerm(a, 1e-4) + varTerm(b, 1e-4)) / 2;
        double cov = covTerm(a) + covTerm(b);
        double expected = 25 * inv + 25 * var + 1 * cov;
        LossFunction f = new VicRegLoss().create(Options.defaults(new VicRegLoss().options()));
        LossOutput out = f.compute(ops, new LossInputs.Pair(value(a), value(b)));
        assertEquals(expected, ((ReferenceOps.Value) out.loss()).item(), 1e-9);
        assertEquals(inv, ((ReferenceOps.Value) out.metrics().get("invariance")).item(), 1e-12);
        assertEquals(cov, ((ReferenceOps.Value) out.metrics().get("covariance")).item(), 1e-12);
    }

    private static double[] columnMeans(double[][] z) {
        double[] mean = new double[z[0].length];
        for (double[] row : z) {
            for (int j = 0; j < row.length; j++) {
                mean[j] += row[j] / z.length;
            }
        }
        return mean;
    }

    private static double varTerm(double[][] z, double eps) {
        double[] mean = columnMeans(z);
        double total = 0;
        for (int j = 0; j < mean.length; j++) {
            double s = 0;
            for (double[] row : z) {
                s += Math.pow(row[j] - mean[j], 2);
            }
            double std = Math.sqrt(s / (z.length - 1) + eps);
            total += Math.max(0, 1 - std);
        }
        return total / mean.length;
    }

    private static double covTerm(double[][] z) {
        double[] mean = columnMeans(z);
        int d = mean.length;
        double total = 0;
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                if (p == q) {
                    continue;
                }
                double c = 0;
                for (double[] row : z) {
                    c += (row[p] - mean[p]) * (row[q] - mean[q]);
                }
                c /= z.length - 1;
                total += c * c;
            }
        }
        return total / d;
    }

    @Test
    void barlowTwinsMatchesTextbookCrossCorrelation() {
        int n = 8;
        int d = 3;
        double[][] a = random(n, d, 9);
        double[][] b = random(n, d, 10);
        double[][] sa = standardize(a);
        double[][] sb = standardize(b);
        double expected = 0;
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                double c = 0;
                for (int i = 0; i < n; i++) {
                    c += sa[i][p] * sb[i][q];
                }
                c /= n;
                expected += p == q ? Math.pow(1 - c, 2) : 0.0051 * c * c;
            }
        }
        double got = compute(new BarlowTwinsLoss(), Map.of(), new LossInputs.Pair(value(a), value(b)));
        assertEquals(expected, got, 1e-9);
    }

    private static double[][] standardize(double[][] z) {
        double[] mean = columnMeans(z);
        double[][] out = new double[z.length][mean.length];
        for (int j = 0; j < mean.length; j++) {
            double var = 0;
            for (double[] row : z) {
                var += Math.pow(row[j] - mean[j], 2) / z.length;
            }
            for (int i = 0; i < z.length; i++) {
                out[i][j] = (z[i][j] - mean[j]) / Math.sqrt(var + 1e-5);
            }
        }
        return out;
    }

    @Test
    void barlowTwinsOfIdenticalDecorrelatedViewsIsNearZero() {
        // Columns +-1 patterns that are mutually orthogonal and centered: C = I exactly (up to eps).
        double[][] a = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};
        double got = compute(new BarlowTwinsLoss(), Map.of("epsilon", 1e-12), new LossInputs.Pair(value(a), value(a)));
        assertEquals(0, got, 1e-9);
    }

    @Test
    void mseWithAndWithoutWeights() {
        var p = ReferenceOps.floats(Shape.of(2, 2), 1, 2, 3, 4);
        var t = ReferenceOps.floats(Shape.of(2, 2), 1, 0, 0, 4);
        // errors^2: 0, 4, 9, 0 -> mean 13/4; with weights (0,1,1,0): 13/2
        assertEquals(13.0 / 4, compute(new MseLoss(), Map.of(), new LossInputs.Reconstruction(p, t, Optional.empty())), 1e-12);
        var w = ReferenceOps.floats(Shape.of(2, 2), 0, 1, 1, 0);
        assertEquals(13.0 / 2, compute(new MseLoss(), Map.of(), new LossInputs.Reconstruction(p, t, Optional.of(w))), 1e-12);
    }

    @Test
    void crossEntropyAndAccuracyOnHandWorkedCase() {
        var logits = ReferenceOps.floats(Shape.of(2, 3), 0, 0, 0, 2, 0, 0);
        var labels = ops.constant(HostTensor.of(Shape.of(2), new int[] {1, 0}));
        // Row 0: uniform -> log 3. Row 1: label 0 with logit 2 -> -(2 - log(e^2 + 2)).
        double expected = (Math.log(3) + (Math.log(Math.exp(2) + 2) - 2)) / 2;
        LossFunction f = new CrossEntropyLoss().create(Options.defaults(new CrossEntropyLoss().options()));
        LossOutput out = f.compute(ops, new LossInputs.Classification(logits, labels));
        assertEquals(expected, ((ReferenceOps.Value) out.loss()).item(), 1e-12);
        // argMax of row 0 is class 0 (first of ties) != 1; row 1 is right.
        assertEquals(0.5, ((ReferenceOps.Value) out.metrics().get("accuracy")).item(), 1e-12);
    }

    @Test
    void labelSmoothingSpreadsTargetMass() {
        var logits = ReferenceOps.floats(Shape.of(1, 2), 1, 0);
        var labels = ops.constant(HostTensor.of(Shape.of(1), new int[] {0}));
        double ls0 = 1 - Math.log(Math.E + 1);
        double ls1 = 0 - Math.log(Math.E + 1);
        double expected = -(0.95 * ls0 + 0.05 * ls1);
        assertEquals(expected, compute(new CrossEntropyLoss(), Map.of("label-smoothing", 0.1),
                new LossInputs.Classification(logits, labels)), 1e-7);
    }

    @Test
    void wrongKindOfInputsIsRejectedWithTheLossName() {
        var x = ReferenceOps.floats(Shape.of(2, 2), 1, 2, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> compute(new InfoNceLoss(), Map.of(), new LossInputs.Reconstruction(x, x, Optional.empty())));
        assertTrue(e.getMessage().contains("info-nce"), e.getMessage());
    }

    @Test
    void mismatchedPairShapesNameTheLossAndShapes() {
        var a = ReferenceOps.floats(Shape.of(2, 2), 1, 2, 3, 4);
        var b = ReferenceOps.floats(Shape.of(2, 1), 1, 2);
        ShapeException e = assertThrows(ShapeException.class, () -> compute(new VicRegLoss(), Map.of(), new LossInputs.Pair(a, b)));
        assertTrue(e.getMessage().contains("vicreg") && e.getMessage().contains("[2, 1]"), e.getMessage());
    }

    @Test
    void nonPositiveTemperatureIsAnOptionError() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> new InfoNceLoss().create(Options.resolve("loss", new InfoNceLoss().options(), Map.of("temperature", "0"))));
        assertEquals("loss.temperature", e.key());
    }
}
