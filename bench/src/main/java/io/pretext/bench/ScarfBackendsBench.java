package io.pretext.bench;

import io.pretext.api.backend.BackendSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Prints, as one JSON object, training steps per second of the reference SCARF step
 * ({@link ScarfBackendStep}) on the {@code tensorflow} and {@code djl} backends, measured in the same
 * JVM in interleaved rounds (so load from other processes hits both alike), from the same initial
 * parameters and the same batches; the first losses must agree.
 *
 * <p>Options: {@code --batch=256 --warmup=40 --rounds=8 --steps=50}, and per backend
 * {@code --tf-intra=0 --tf-inter=0 --djl-intra=0 --djl-inter=0} (0: the backend's default).
 */
public final class ScarfBackendsBench {
    private ScarfBackendsBench() {
    }

    /**
     * @param args options as above
     */
    public static void main(String[] args) {
        int batch = option(args, "batch", 256);
        int warmup = option(args, "warmup", 40);
        int rounds = option(args, "rounds", 8);
        int steps = option(args, "steps", 50);
        long seed = 42;
        ScarfData data = new ScarfData(20_000, 0.6f, 7);
        float[] anchor = new float[batch * ScarfData.FEATURES];
        float[] corrupted = new float[batch * ScarfData.FEATURES];
        List<ScarfBackendStep> backends = List.of(
                new ScarfBackendStep("tensorflow", batch, new BackendSettings(option(args, "tf-intra", 0), option(args, "tf-inter", 0), seed),
                        seed),
                new ScarfBackendStep("djl", batch, new BackendSettings(option(args, "djl-intra", 0), option(args, "djl-inter", 0), seed),
                        seed));
        try {
            data.next(anchor, corrupted);
            double[] first = new double[backends.size()];
            for (int b = 0; b < backends.size(); b++) {
                first[b] = backends.get(b).step(anchor, corrupted);
            }
            for (int i = 0; i < warmup; i++) {
                data.next(anchor, corrupted);
                for (ScarfBackendStep b : backends) {
                    b.step(anchor, corrupted);
                }
            }
            List<List<Double>> rates = new ArrayList<>();
            backends.forEach(b -> rates.add(new ArrayList<>()));
            for (int r = 0; r < rounds; r++) {
                // Rotate which backend goes first so neither always runs right after the other.
                for (int k = 0; k < backends.size(); k++) {
                    int b = (r + k) % backends.size();
                    long t0 = System.nanoTime();
                    for (int s = 0; s < steps; s++) {
                        data.next(anchor, corrupted);
                        backends.get(b).step(anchor, corrupted);
                    }
                    rates.get(b).add(steps / ((System.nanoTime() - t0) / 1e9));
                }
            }
            double tf = median(rates.get(0));
            double djl = median(rates.get(1));
            System.out.println(String.format(Locale.ROOT,
                    "{\"model\":\"scarf encoder 16-256-256-256 head 256-256-128 info-nce tau 0.1 adam 1e-3\",\"batch\":%d,"
                            + "\"rounds\":%d,\"steps_per_round\":%d,\"cores\":%d,"
                            + "\"tensorflow_steps_per_s\":%.1f,\"djl_steps_per_s\":%.1f,"
                            + "\"tensorflow_rows_per_s\":%.0f,\"djl_rows_per_s\":%.0f,\"djl_over_tensorflow\":%.3f,"
                            + "\"tensorflow_rounds\":%s,\"djl_rounds\":%s,"
                            + "\"first_loss_tensorflow\":%.6f,\"first_loss_djl\":%.6f}",
                    batch, rounds, steps, Runtime.getRuntime().availableProcessors(), tf, djl, tf * batch, djl * batch, djl / tf,
                    rounded(rates.get(0)), rounded(rates.get(1)), first[0], first[1]));
        } finally {
            backends.forEach(ScarfBackendStep::close);
        }
    }

    private static int option(String[] args, String name, int fallback) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return Integer.parseInt(a.substring(name.length() + 3));
            }
        }
        return fallback;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String rounded(List<Double> values) {
        return Arrays.toString(values.stream().mapToDouble(v -> Math.round(v * 10) / 10.0).toArray());
    }
}
