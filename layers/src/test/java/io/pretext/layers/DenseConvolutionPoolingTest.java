package io.pretext.layers;

import static io.pretext.layers.LayerFixture.data;
import static io.pretext.layers.LayerFixture.parameters;
import static io.pretext.layers.LayerFixture.random;
import static io.pretext.layers.LayerFixture.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dense, convolution, pooling, embeddings and dropout against hand-written loops in double precision. */
class DenseConvolutionPoolingTest {
    private final ReferenceOps ref = new ReferenceOps(2);

    @Test
    void denseDeclaresPyTorchOrXavierParametersAndMapsTheLastAxisOfAnyRank() {
        Dense linear = Dense.linear("t/fc", 4, 3);
        assertEquals(List.of(ParamSpec.trainable("t/fc/kernel", Shape.of(4, 3), new Initializer.FanInUniform()),
                ParamSpec.trainable("t/fc/bias", Shape.of(3), new Initializer.Uniform(0.5))), linear.parameters());
        assertEquals(List.of(ParamSpec.trainable("t/fc/kernel", Shape.of(4, 3), new Initializer.GlorotUniform()),
                ParamSpec.trainable("t/fc/bias", Shape.of(3), new Initializer.Zeros())), Dense.xavier("t/fc", 4, 3).parameters());

        ParameterSet p = parameters(linear.parameters(), 1);
        double[] k = values(p, "t/fc/kernel");
        double[] b = values(p, "t/fc/bias");
        ReferenceOps.Value x = random(Shape.of(2, 5, 4), 2);
        Tensor y = linear.apply(ref, ref.new HostParams(p), x);
        assertEquals(Shape.of(2, 5, 3), y.shape());
        for (int row = 0; row < 10; row++) {
            for (int o = 0; o < 3; o++) {
                double s = b[o];
                for (int i = 0; i < 4; i++) {
                    s += x.data()[row * 4 + i] * k[i * 3 + o];
                }
                assertEquals(s, data(y)[row * 3 + o], 1e-9);
            }
        }
        ShapeException e = assertThrows(ShapeException.class, () -> linear.apply(ref, ref.new HostParams(p), random(Shape.of(2, 5), 1)));
        assertTrue(e.getMessage().contains("t/fc") && e.getMessage().contains("[2, 5]"), e.getMessage());
    }

    @Test
    void convolutionAddsItsBiasPerChannelWithSameOrValidPaddingAndAStride() {
        Conv2d conv = new Conv2d("t/conv", 3, 2, 4, 2, Padding.SAME, true);
        List<ParamSpec> specs = conv.parameters();
        assertEquals(List.of("t/conv/kernel", "t/conv/bias"), specs.stream().map(ParamSpec::name).toList());
        assertEquals(Shape.of(3, 3, 2, 4), specs.get(0).shape());
        assertEquals(new Initializer.Uniform(1 / Math.sqrt(18)), specs.get(1).initializer(), "PyTorch's bias bound 1/sqrt(fan-in)");
        assertEquals(List.of("t/conv/kernel"), Conv2d.of("t/conv", 3, 2, 4).withBias(false).parameters().stream().map(ParamSpec::name).toList());

        ParameterSet p = parameters(specs, 3);
        ReferenceOps.Value x = random(Shape.of(2, 5, 5, 2), 4);
        double[] y = data(conv.apply(ref, ref.new HostParams(p), x));
        assertArrayEquals(handConvolution(x, values(p, "t/conv/kernel"), values(p, "t/conv/bias"), 3, 4, 2), y, 1e-9);
        assertEquals(2 * 3 * 3 * 4, y.length, "SAME with stride 2: ceil(5 / 2) = 3");

        Conv2d valid = new Conv2d("t/conv", 3, 2, 4, 1, Padding.VALID, true);
        assertEquals(Shape.of(2, 3, 3, 4), valid.apply(ref, ref.new HostParams(p), x).shape());
        double[] nchw = data(LayerFixture.toNhwc(ref, conv.apply(LayerFixture.nchw(ref), ref.new HostParams(p), LayerFixture.toNchw(ref, x))));
        assertArrayEquals(y, nchw, 1e-12, "the bias is added on the channel axis of either layout");
        assertThrows(ShapeException.class, () -> conv.apply(ref, ref.new HostParams(p), random(Shape.of(2, 5, 5, 3), 1)));
    }

    /** TensorFlow's SAME rule: out = ceil(in / stride), the odd cell of padding at the bottom and right. */
    private static double[] handConvolution(ReferenceOps.Value x, double[] kernel, double[] bias, int k, int out, int stride) {
        int n = x.shape().dim(0);
        int h = x.shape().dim(1);
        int w = x.shape().dim(2);
        int c = x.shape().dim(3);
        int oh = (h + stride - 1) / stride;
        int ow = (w + stride - 1) / stride;
        int top = Math.max((oh - 1) * stride + k - h, 0) / 2;
        int left = Math.max((ow - 1) * stride + k - w, 0) / 2;
        double[] y = new double[n * oh * ow * out];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int o = 0; o < out; o++) {
                        double s = bias[o];
                        for (int di = 0; di < k; di++) {
                            for (int dj = 0; dj < k; dj++) {
                                int yy = i * stride + di - top;
                                int xx = j * stride + dj - left;
                                if (yy < 0 || yy >= h || xx < 0 || xx >= w) {
                                    continue;
                                }
                                for (int ic = 0; ic < c; ic++) {
                                    s += x.data()[((b * h + yy) * w + xx) * c + ic] * kernel[((di * k + dj) * c + ic) * out + o];
                                }
                            }
                        }
                        y[((b * oh + i) * ow + j) * out + o] = s;
                    }
                }
            }
        }
        return y;
    }

    @Test
    void poolingTakesWindowsAndGlobalMeansAndMaximaInEitherLayout() {
        ReferenceOps.Value x = random(Shape.of(2, 4, 4, 3), 5);
        double[] max = data(Pooling.max(ref, x, 2, 2, Padding.VALID));
        double[] avg = data(Pooling.average(ref, x, 2, 2, Padding.VALID));
        double[] mean = data(Pooling.globalAverage(ref, x));
        double[] top = data(Pooling.globalMax(ref, x));
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                double best = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < 16; s++) {
                    double v = x.data()[(b * 16 + s) * 3 + c];
                    sum += v;
                    best = Math.max(best, v);
                }
                assertEquals(sum / 16, mean[b * 3 + c], 1e-12);
                assertEquals(best, top[b * 3 + c], 0);
                // The top-left 2x2 window: pixels (0,0), (0,1), (1,0), (1,1).
                double[] window = {x.data()[(b * 16) * 3 + c], x.data()[(b * 16 + 1) * 3 + c], x.data()[(b * 16 + 4) * 3 + c],
                    x.data()[(b * 16 + 5) * 3 + c]};
                assertEquals(Arrays.stream(window).max().orElseThrow(), max[(b * 4) * 3 + c], 0);
                assertEquals(Arrays.stream(window).average().orElseThrow(), avg[(b * 4) * 3 + c], 1e-12);
            }
        }
        assertArrayEquals(mean, data(Pooling.globalAverage(LayerFixture.nchw(ref), LayerFixture.toNchw(ref, x))), 1e-12);
        assertArrayEquals(top, data(Pooling.globalMax(LayerFixture.nchw(ref), LayerFixture.toNchw(ref, x))), 0);
    }

    @Test
    void meanOverTokensSkipsPadding() {
        ReferenceOps.Value tokens = random(Shape.of(2, 3, 4), 6);
        ReferenceOps.Value keep = ReferenceOps.of(HostTensor.of(Shape.of(2, 3), new int[] {1, 1, 0, 1, 0, 0}));
        double[] pooled = data(Pooling.meanOverTokens(ref, tokens, keep));
        double[] all = data(Pooling.meanOverTokens(ref, tokens));
        for (int j = 0; j < 4; j++) {
            assertEquals((tokens.data()[j] + tokens.data()[4 + j]) / 2, pooled[j], 1e-12);
            assertEquals(tokens.data()[12 + j], pooled[4 + j], 1e-12);
            assertEquals((tokens.data()[j] + tokens.data()[4 + j] + tokens.data()[8 + j]) / 3, all[j], 1e-12);
        }
        assertThrows(ShapeException.class, () -> Pooling.meanOverTokens(ref, tokens, random(Shape.of(2, 4), 1)));
    }

    @Test
    void embeddingsLookUpRowsAndTheTiedHeadScoresEveryToken() {
        Embedding words = Embedding.of("t/words", 5, 3);
        assertEquals(List.of(ParamSpec.trainable("t/words", Shape.of(5, 3), new Initializer.TruncatedNormal(0.02))), words.parameters());
        ParameterSet p = parameters(words.parameters(), 7);
        double[] table = values(p, "t/words");
        ReferenceOps.Value ids = ReferenceOps.of(HostTensor.of(Shape.of(2, 2), new int[] {4, 0, 2, 4}));
        Tensor vectors = words.apply(ref, ref.new HostParams(p), ids);
        assertEquals(Shape.of(2, 2, 3), vectors.shape());
        assertArrayEquals(Arrays.copyOfRange(table, 12, 15), Arrays.copyOfRange(data(vectors), 0, 3), 1e-12);
        Tensor logits = words.logits(ref, ref.new HostParams(p), vectors);
        assertEquals(Shape.of(2, 2, 5), logits.shape());
        double dot = 0;
        for (int j = 0; j < 3; j++) {
            dot += table[6 + j] * table[j];
        }
        assertEquals(dot, data(logits)[5 + 2], 1e-12, "token 0's vector scored against id 2");
        assertThrows(ShapeException.class, () -> words.apply(ref, ref.new HostParams(p), random(Shape.of(2), 1)));

        PositionEmbedding positions = new PositionEmbedding("t/position", 4, 3);
        ParameterSet q = parameters(positions.parameters(), 8);
        ReferenceOps.Value x = random(Shape.of(2, 3, 3), 9);
        double[] y = data(positions.apply(ref, ref.new HostParams(q), x));
        double[] pos = values(q, "t/position");
        for (int i = 0; i < y.length; i++) {
            assertEquals(x.data()[i] + pos[i % 9], y[i], 1e-12, "a shorter sequence gets the first positions");
        }
        assertThrows(ShapeException.class, () -> positions.apply(ref, ref.new HostParams(q), random(Shape.of(1, 5, 3), 1)));
    }

    @Test
    void dropoutActsInTrainingOnly() {
        ReferenceOps.Value x = random(Shape.of(4, 50), 10);
        Dropout dropout = new Dropout(0.5f);
        assertEquals(x, dropout.apply(ref, x, Mode.EVAL));
        assertEquals(x, new Dropout(0f).apply(ref, x, Mode.TRAIN));
        double[] dropped = data(dropout.apply(ref, x, Mode.TRAIN));
        long zeros = Arrays.stream(dropped).filter(v -> v == 0).count();
        assertTrue(zeros > 50 && zeros < 150, zeros + " of 200 zeroed at rate 0.5");
        for (int i = 0; i < dropped.length; i++) {
            if (dropped[i] != 0) {
                assertEquals(2 * x.data()[i], dropped[i], 1e-12, "kept values scaled by 1 / (1 - rate)");
            }
        }
        assertNotEquals(0, zeros);
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f));
    }
}
