package io.pretext.tabular.task;

import io.pretext.api.ComponentRegistry;
import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Heads (projection, decoders, classifiers) built from the registry's {@code mlp} encoder, by id. */
final class Heads {
    /** The encoder id heads are made of. */
    static final String MLP = "mlp";

    private Heads() {
    }

    /**
     * @param registry the run's registry
     * @param scope parameter-name prefix of the head, e.g. {@code head}
     * @param input per-example input shape (the encoder's output)
     * @param widths dense layer widths, the last being the output size
     * @return a head without activation after its last layer
     */
    static EncoderModel mlp(ComponentRegistry registry, String scope, Shape input, List<Long> widths) {
        Encoder mlp = registry.get(Encoder.class, MLP);
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("widths", widths);
        raw.put("final-activation", false);
        return mlp.create(io.pretext.api.option.Options.resolve(scope, mlp.options(), raw), input, scope);
    }

    /**
     * @param hidden hidden widths from an option (may be empty)
     * @param output the output width
     * @return hidden followed by output
     */
    static List<Long> withOutput(List<Long> hidden, int output) {
        List<Long> out = new ArrayList<>(hidden);
        out.add((long) output);
        return out;
    }
}
