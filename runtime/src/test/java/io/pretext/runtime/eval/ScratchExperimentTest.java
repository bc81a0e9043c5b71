package io.pretext.runtime.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScratchExperimentTest {
    static void dump(Path p, float[][] x, int[] y) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(p))) {
            for (int i = 0; i < x.length; i++) {
                StringBuilder sb = new StringBuilder();
                for (float v : x[i]) sb.append(v).append(',');
                sb.append(y[i]);
                w.println(sb);
            }
        }
    }

    static float[][] randomMlp(float[][] x, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] h = x;
        int[] dims = {x[0].length, 256, 256, 256};
        for (int l = 0; l < 3; l++) {
            int in = dims[l], out = dims[l + 1];
            double bound = 1 / Math.sqrt(in);
            double[][] w = new double[in][out];
            double[] b = new double[out];
            for (int i = 0; i < in; i++) for (int o = 0; o < out; o++) w[i][o] = (r.nextDouble() * 2 - 1) * bound;
            for (int o = 0; o < out; o++) b[o] = (r.nextDouble() * 2 - 1) * bound;
            float[][] nh = new float[h.length][out];
            for (int n = 0; n < h.length; n++) {
                double[] z = b.clone();
                for (int i = 0; i < in; i++) { double v = h[n][i]; for (int o = 0; o < out; o++) z[o] += v * w[i][o]; }
                for (int o = 0; o < out; o++) nh[n][o] = (float) Math.max(0, z[o]);
            }
            h = nh;
        }
        return h;
    }

    @Test
    void experiment() throws IOException {
        String which = System.getProperty("exp", "all");
        for (ReferenceTables.Table t : new ReferenceTables.Table[] {ReferenceTables.breastCancer(), ReferenceTables.digits(), ReferenceTables.letter()}) {
            for (long seed = 0; seed < Long.getLong("seeds", 3); seed++) {
                StratifiedSubsets.Split s = StratifiedSubsets.trainTestSplit(t.y(), 0.2, seed);
                float[][] xtr = StratifiedSubsets.rows(t.x(), s.train()), xte = StratifiedSubsets.rows(t.x(), s.test());
                int[] ytr = StratifiedSubsets.rows(t.y(), s.train()), yte = StratifiedSubsets.rows(t.y(), s.test());
                if (seed == 0) { dump(Path.of("/tmp/evalx/" + t.name() + "_train.csv"), xtr, ytr); dump(Path.of("/tmp/evalx/" + t.name() + "_test.csv"), xte, yte); }
                for (double tol : new double[] {1e-4, 1e-5, 1e-6}) {
                    long t0 = System.nanoTime();
                    LinearProbe.Model m = new LinearProbe(1.0, 5000, tol).fit(xtr, ytr);
                    double acc = m.accuracy(xte, yte);
                    System.out.printf("%s seed %d tol %g: LR acc %.4f iters %d evals %d %s f=%.10f  %.2fs%n", t.name(), seed, tol, acc,
                            m.optimization().iterations(), m.optimization().evaluations(), m.optimization().termination(), m.optimization().value(), (System.nanoTime() - t0) / 1e9);
                }
                for (boolean st : new boolean[] {false, true}) {
                    long t0 = System.nanoTime();
                    double acc = new KnnClassifier(20, 0.07, st).accuracy(xtr, ytr, xte, yte);
                    System.out.printf("%s seed %d knn std=%s acc %.4f %.2fs%n", t.name(), seed, st, acc, (System.nanoTime() - t0) / 1e9);
                }
                if (t.name().equals("letter") && seed == 0) {
                    Standardizer sc = Standardizer.fit(xtr);
                    float[][] etr = randomMlp(sc.transform(xtr), 1), ete = randomMlp(sc.transform(xte), 1);
                    dump(Path.of("/tmp/evalx/letter_rand_train.csv"), etr, ytr); dump(Path.of("/tmp/evalx/letter_rand_test.csv"), ete, yte);
                    for (double tol : new double[] {1e-4, 1e-5, 1e-6}) {
                        long t0 = System.nanoTime();
                        LinearProbe.Model m = new LinearProbe(1.0, 5000, tol).fit(etr, ytr);
                        double acc = m.accuracy(ete, yte);
                        System.out.printf("letter-random256 tol %g: LR acc %.4f iters %d evals %d %s f=%.10f %.2fs%n", tol, acc,
                                m.optimization().iterations(), m.optimization().evaluations(), m.optimization().termination(), m.optimization().value(), (System.nanoTime() - t0) / 1e9);
                    }
                    long t0 = System.nanoTime();
                    double acc = new KnnClassifier().accuracy(etr, ytr, ete, yte);
                    System.out.printf("letter-random256 knn acc %.4f %.2fs%n", acc, (System.nanoTime() - t0) / 1e9);
                }
            }
        }
    }
}
