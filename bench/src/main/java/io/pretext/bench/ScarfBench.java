package io.pretext.bench;

import io.pretext.api.backend.BackendSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Prints, as one JSON object, the training throughput (rows/s) of the reference SCARF model
 * through the Pretext op layer on the {@code tensorflow} backend and as a hand-written
 * TensorFlow-Java graph, measured in the same JVM in interleaved rounds (so load from other
 * processes on the machine hits both alike), plus the ratio of the medians.
 *
 * <p>Options: {@code --batch=256 --warmup=300 --rounds=20 --steps=25 --intra=0 --inter=0} (threads 0:
 * backend defaults, i.e. every core and 2 inter-op threads).
 */
public final class ScarfBench {
    private ScarfBench() {
    }

    /**
     * @param args options as above
     */
    public static void main(String[] args) {
        int batch = option(args, "batch", 256);
        int warmup = option(args, "warmup", 300);
        int rounds = option(args, "rounds", 20);
        int steps = option(args, "steps", 25);
        int intra = option(args, "intra", 0);
        int inter = option(args, "inter", 0);
        int intraThreads = intra > 0 ? intra : Runtime.getRuntime().availableProcessors();
        int interThreads = inter > 0 ? inter : 2;
        long seed = 42;
        ScarfData data = new ScarfData(20_000, 0.6f, 7);
        float[] anchor = new float[batch * ScarfData.FEATURES];
        float[] corrupted = new float[batch * ScarfData.FEATURES];
        try (ScarfOpLayer opLayer = new ScarfOpLayer(batch, new BackendSettings(intra, inter, seed), seed);
             ScarfHandWritten hand = new ScarfHandWritten(batch, opLayer.parameters(), opLayer.initial(seed), intraThreads, interThreads)) {
            // Same start, same batch: the two graphs must compute the same loss.
            data.next(anchor, corrupted);
            double firstOpLayer = opLayer.step(anchor, corrupted);
            double firstHand = hand.step(anchor, corrupted);
            for (int i = 0; i < warmup; i++) {
                data.next(anchor, corrupted);
                opLayer.step(anchor, corrupted);
                data.next(anchor, corrupted);
                hand.step(anchor, corrupted);
            }
            List<Double> opRates = new ArrayList<>();
            List<Double> handRates = new ArrayList<>();
            double lastOpLayer = 0;
            double lastHand = 0;
            for (int r = 0; r < rounds; r++) {
                // Alternate which path goes first so neither always runs right after the other.
                for (int k = 0; k < 2; k++) {
                    boolean op = (r + k) % 2 == 0;
                    long t0 = System.nanoTime();
                    for (int s = 0; s < steps; s++) {
                        data.next(anchor, corrupted);
                        double loss = op ? opLayer.step(anchor, corrupted) : hand.step(anchor, corrupted);
                        if (op) {
                            lastOpLayer = loss;
                        } else {
                            lastHand = loss;
                        }
                    }
                    double rate = (double) steps * batch / ((System.nanoTime() - t0) / 1e9);
                    (op ? opRates : handRates).add(rate);
                }
            }
            double op = median(opRates);
            double handRate = median(handRates);
            System.out.println(String.format(Locale.ROOT,
                    "{\"model\":\"scarf encoder 16-256-256-256 head 256-256-128 info-nce tau 0.1 adam 1e-3\",\"batch\":%d,"
                            + "\"intra_op_threads\":%d,\"inter_op_threads\":%d,\"rounds\":%d,\"steps_per_round\":%d,"
                            + "\"op_layer_rows_per_s\":%.0f,\"hand_written_rows_per_s\":%.0f,\"ratio\":%.3f,"
                            + "\"op_layer_rounds\":%s,\"hand_written_rounds\":%s,"
                            + "\"first_loss_op_layer\":%.6f,\"first_loss_hand_written\":%.6f,"
                            + "\"last_loss_op_layer\":%.4f,\"last_loss_hand_written\":%.4f}",
                    batch, intraThreads, interThreads, rounds, steps, op, handRate, op / handRate, rounded(opRates), rounded(handRates),
                    firstOpLayer, firstHand, lastOpLayer, lastHand));
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
        return Arrays.toString(values.stream().mapToLong(Math::round).toArray());
    }
}
