package com.example.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.EncoderModel;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The encoder of docs/writing-a-plugin.md's layer-library section: it runs, and the listing is this source. */
class SeriesTransformerEncoderTest {
    private final SeriesTransformerEncoder provider = new SeriesTransformerEncoder();
    private final ReferenceOps ops = new ReferenceOps(1);

    private EncoderModel create(Map<String, ?> options, Shape input) {
        return provider.create(Options.resolve("encoder", provider.options(), options), input, "encoder");
    }

    @Test
    void encodesEachWindowToOneVectorWithParametersFromTheLayers() {
        EncoderModel model = create(Map.of("dim", 8, "heads", 2), Shape.of(12, 3));
        List<String> names = model.parameters().stream().map(ParamSpec::name).toList();
        assertEquals(List.of("encoder/embed/kernel", "encoder/embed/bias", "encoder/position"), names.subList(0, 3));
        assertTrue(names.contains("encoder/transformer/block1/attention/query/kernel"), names.toString());
        assertEquals("encoder/transformer/norm/beta", names.get(names.size() - 1));
        assertEquals(Shape.of(8), model.outputShape());

        SplittableRandom random = new SplittableRandom(2);
        double[] windows = new double[4 * 12 * 3];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = random.nextDouble(-2, 2);
        }
        ParameterSet values = ParameterSet.initialize(model.parameters(), 3);
        Tensor x = ReferenceOps.floats(Shape.of(4, 12, 3), windows);
        double[] eval = ((ReferenceOps.Value) model.forward(ops, ops.new HostParams(values), x, Mode.EVAL)).data();
        assertEquals(4 * 8, eval.length);
        double[] train = ((ReferenceOps.Value) model.forward(ops, ops.new HostParams(values), x, Mode.TRAIN)).data();
        assertNotEquals(eval[0], train[0], "dropout in training");
        assertThrows(ShapeException.class, () -> create(Map.of(), Shape.of(12)));
        InvalidOptionException heads = assertThrows(InvalidOptionException.class, () -> create(Map.of("dim", 10), Shape.of(12, 3)));
        assertEquals("encoder.heads", heads.key());
    }

    @Test
    void theGuideShowsThisSourceVerbatim() throws IOException {
        String guide = Files.readString(Path.of("../docs/writing-a-plugin.md"));
        String source = Files.readString(Path.of("src/test/java/com/example/series/SeriesTransformerEncoder.java"));
        int start = guide.indexOf("```java\npackage com.example.series;");
        assertTrue(start >= 0, "docs/writing-a-plugin.md lists SeriesTransformerEncoder");
        int from = start + "```java\n".length();
        assertEquals(source, guide.substring(from, guide.indexOf("```\n", from)));
    }
}
