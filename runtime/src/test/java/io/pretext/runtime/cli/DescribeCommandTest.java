package io.pretext.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pretext describe}: shapes, parameter counts and FLOPs of a small MLP recipe, counted by hand. */
class DescribeCommandTest {

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        return new String[] {out.toString(), err.toString()};
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    @Test
    void describePrintsParametersAndForwardFlopsOfEncoderAndObjective() throws IOException {
        Path recipe = dir.resolve("r.yaml");
        Files.writeString(recipe, """
                data: {id: test-gaussian-rows, features: 5}
                task: {id: test-noisy-pair}
                encoder: {id: mlp, widths: [16, 8], activation: relu, normalization: none}
                loss: {id: info-nce, temperature: 0.1}
                training: {batch-size: 16}
                """);
        String out = run("describe", recipe.toString())[0];

        // mlp 5 -> 16 -> 8, relu after both layers: kernel and bias per layer.
        long parameters = (5 * 16 + 16) + (16 * 8 + 8);
        // Per example: a matmul costs 2 per multiply-add, the bias add and relu 1 per output element.
        long perExample = (2 * 5 * 16 + 16 + 16) + (2 * 16 * 8 + 8 + 8);
        assertEquals(232, parameters);
        assertEquals(464, perExample);
        assertTrue(out.contains("# encoder: input [5] -> output [8], " + count(parameters) + " trainable parameters, " + count(perExample)
                + " forward FLOPs per example"), out);
        assertTrue(out.contains("# task model (encoder + heads): " + count(parameters) + " trainable parameters"), out);

        // The objective on a batch of n = 16: both noisy views through the encoder, then InfoNCE over d = 8.
        long n = 16;
        long d = 8;
        long encoders = 2 * n * perExample;
        // l2Normalize per view: square, row sum, maximum with epsilon, rsqrt (sqrt, then 1 / it), scale.
        long normalize = n * d + n * d + n + (n + n) + n * d;
        long similarities = 2 * n * n * d + n * n; // matmul, then / temperature
        // softmaxCrossEntropy: log-softmax (5 per element), times targets, row sum, negation per row; then the mean over rows.
        long crossEntropy = 5 * n * n + n * n + n * n + n;
        long mean = n + 1;
        long objective = encoders + 2 * normalize + similarities + crossEntropy + mean;
        assertEquals(21_889, objective);
        assertTrue(out.contains("# task objective on a batch of 16: loss []; " + count(objective)
                + " forward FLOPs per batch (training mode)"), out);
    }

    @Test
    void aBatchLargerThanTheDataUsesAllOfItAndNoDataSkipsTheModel() throws IOException {
        Path recipe = dir.resolve("r.yaml");
        Files.writeString(recipe, """
                data: {id: test-gaussian-rows, features: 5, rows: 12}
                task: {id: test-noisy-pair}
                encoder: {id: mlp, widths: [16, 8]}
                training: {batch-size: 64}
                """);
        String out = run("describe", recipe.toString())[0];
        assertTrue(out.contains("# task objective on a batch of 12 (all the data; batch-size is 64): loss []"), out);
        String noData = run("describe", recipe.toString(), "--no-data")[0];
        assertTrue(noData.contains("batch-size: 64") && !noData.contains("FLOPs") && !noData.contains("# encoder"), noData);
    }
}
