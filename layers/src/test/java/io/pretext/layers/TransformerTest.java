package io.pretext.layers;

import static io.pretext.layers.LayerFixture.data;
import static io.pretext.layers.LayerFixture.parameters;
import static io.pretext.layers.LayerFixture.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pretext.api.model.Initializer;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pre-norm Transformer block and stack: parameter names and shapes, and the block written out from its parts. */
class TransformerTest {
    private final ReferenceOps ref = new ReferenceOps(4);

    @Test
    void blockParametersAreNamedAndShapedAsTheVitAndMaeCheckpointsHaveThem() {
        TransformerBlock block = new TransformerBlock("encoder/transformer/block0", 8, 2, 16, 0f);
        List<String> expected = new ArrayList<>(List.of("norm1/gamma", "norm1/beta"));
        for (String p : List.of("query", "key", "value", "output")) {
            expected.add("attention/" + p + "/kernel");
            expected.add("attention/" + p + "/bias");
        }
        expected.addAll(List.of("norm2/gamma", "norm2/beta", "mlp/fc1/kernel", "mlp/fc1/bias", "mlp/fc2/kernel", "mlp/fc2/bias"));
        assertEquals(expected.stream().map(s -> "encoder/transformer/block0/" + s).toList(),
                block.parameters().stream().map(ParamSpec::name).toList());
        ParamSpec fc1 = block.parameters().get(12);
        assertEquals(ParamSpec.trainable("encoder/transformer/block0/mlp/fc1/kernel", Shape.of(8, 16), new Initializer.GlorotUniform()), fc1);
        assertEquals(Shape.of(16, 8), block.parameters().get(14).shape());
        assertEquals(16, block.parameters().size());

        TransformerStack stack = new TransformerStack("encoder/transformer", 3, 8, 2, 16, 0.1f);
        List<String> names = stack.parameters().stream().map(ParamSpec::name).toList();
        assertEquals(3 * 16 + 2, names.size());
        assertEquals(block.parameters().stream().map(ParamSpec::name).toList(), names.subList(0, 16));
        assertEquals("encoder/transformer/block2/mlp/fc2/bias", names.get(3 * 16 - 1));
        assertEquals(List.of("encoder/transformer/norm/gamma", "encoder/transformer/norm/beta"), names.subList(3 * 16, 3 * 16 + 2));
        assertEquals(8, stack.width());
        assertThrows(IllegalArgumentException.class, () -> new TransformerStack("t", 0, 8, 2, 16, 0f));
        assertThrows(IllegalArgumentException.class, () -> new TransformerBlock("t", 8, 3, 16, 0f));
        assertThrows(IllegalArgumentException.class, () -> new TransformerBlock("t", 8, 2, 16, 1f));
    }

    @Test
    void aBlockIsAttentionThenAGeluMlpEachOnANormalizedResidual() {
        TransformerBlock block = new TransformerBlock("t/block0", 6, 3, 12, 0f);
        ParameterSet p = parameters(block.parameters(), 5);
        ReferenceOps.Value x = random(Shape.of(2, 4, 6), 6);
        Params params = ref.new HostParams(p);
        Tensor y = block.apply(ref, params, x, AttentionMask.NONE, Mode.EVAL);
        assertEquals(x.shape(), y.shape());

        // The same block from its parts, with GELU written out from erf (its 1/sqrt(2) is a float32 constant, as in Ops.gelu).
        Tensor h = ref.add(x, block.attention().apply(ref, params, LayerNorm.of("t/block0/norm1", 6).apply(ref, params, x), AttentionMask.NONE));
        double[] hidden = data(Dense.xavier("t/block0/mlp/fc1", 6, 12).apply(ref, params, LayerNorm.of("t/block0/norm2", 6).apply(ref, params, h)));
        double[] gelu = Arrays.stream(hidden).map(v -> 0.5 * v * (1 + ReferenceOps.erf(v * (float) (1 / Math.sqrt(2))))).toArray();
        Tensor mlp = Dense.xavier("t/block0/mlp/fc2", 12, 6).apply(ref, params, ReferenceOps.floats(Shape.of(2, 4, 12), gelu));
        assertArrayEquals(data(ref.add(h, mlp)), data(y), 1e-9);
    }

    @Test
    void theStackPassesTheMaskToEveryBlockAndDropsOutInTrainingOnly() {
        TransformerStack stack = new TransformerStack("t", 2, 6, 2, 12, 0.3f);
        ParameterSet p = parameters(stack.parameters(), 7);
        ReferenceOps.Value x = random(Shape.of(1, 4, 6), 8);
        double[] eval = data(stack.apply(ref, ref.new HostParams(p), x, Mode.EVAL));
        assertArrayEquals(eval, data(stack.apply(ref, ref.new HostParams(p), x, Mode.EVAL)), 0);
        assertFalse(Arrays.equals(eval, data(stack.apply(ref, ref.new HostParams(p), x, Mode.TRAIN))), "dropout in training");

        // Causal through two blocks: the first token's output ignores the last token.
        double[] causal = data(stack.apply(ref, ref.new HostParams(p), x, AttentionMask.CAUSAL, Mode.EVAL));
        double[] changed = x.data().clone();
        for (int j = 0; j < 6; j++) {
            changed[3 * 6 + j] += 1;
        }
        double[] after = data(stack.apply(ref, ref.new HostParams(p), ReferenceOps.floats(x.shape(), changed), AttentionMask.CAUSAL, Mode.EVAL));
        assertArrayEquals(Arrays.copyOf(causal, 3 * 6), Arrays.copyOf(after, 3 * 6), 0);
        assertFalse(Arrays.equals(causal, eval), "the mask changes the result");

        // Padding through two blocks: the real tokens ignore the padded one.
        AttentionMask padding = AttentionMask.ofPadding(ReferenceOps.of(HostTensor.of(Shape.of(1, 4), new int[] {1, 1, 1, 0})));
        double[] padded = data(stack.apply(ref, ref.new HostParams(p), x, padding, Mode.EVAL));
        double[] paddedAfter = data(stack.apply(ref, ref.new HostParams(p), ReferenceOps.floats(x.shape(), changed), padding, Mode.EVAL));
        assertArrayEquals(Arrays.copyOf(padded, 3 * 6), Arrays.copyOf(paddedAfter, 3 * 6), 0);
    }
}
