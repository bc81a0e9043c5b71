package io.pretext.tabular.task;

import io.pretext.api.ComponentRegistry;
import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.error.InvalidOptionException;
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
     * @param option the option key, for messages
     * @param hidden hidden widths from an option (may be empty)
     * @param output the output width
     * @return hidden followed by output
     */
    static List<Long> withOutput(String option, List<Long> hidden, int output) {
        List<Long> out = new ArrayList<>(positive(option, hidden, true));
        out.add((long) output);
        return out;
    }

    /**
     * @param option the option key, for messages
     * @param widths widths from an option
     * @param mayBeEmpty whether an empty list is allowed
     * @return the widths, checked positive
     */
    static List<Long> positive(String option, List<Long> widths, boolean mayBeEmpty) {
        if (widths.isEmpty() && !mayBeEmpty) {
            throw new InvalidOptionException("task." + option, "needs at least one width");
        }
        for (long w : widths) {
            if (w <= 0) {
                throw new InvalidOptionException("task." + option, "widths must be positive, got " + widths);
            }
        }
        return widths;
    }
}
