package io.pretext.runtime.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.Bounds;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.OptionType;
import io.pretext.api.option.Options;
import io.pretext.runtime.registry.PluginRegistry;
import io.pretext.runtime.registry.ProviderEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every range any provider on the class path declares (and the runtime's own training and
 * evaluation sections) is checked by {@link Options#resolve}: a value just outside a limit is
 * refused with the full key and the allowed range, the limit itself or a value just inside passes.
 */
class DeclaredBoundsTest {

    private static PluginRegistry registry;

    @BeforeAll
    static void load() {
        registry = PluginRegistry.fromClasspath();
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    /** What each shipped provider must declare a range for (the checks it used to write by hand). */
    private static final Map<String, Set<String>> EXPECTED = Map.ofEntries(
            Map.entry("scarf", Set.of("corruption-rate", "head-widths", "marginal-rows")),
            Map.entry("vime", Set.of("mask-rate", "alpha", "head-widths", "marginal-rows")),
            Map.entry("denoising-autoencoder", Set.of("swap-rate", "noise-std", "decoder-widths", "marginal-rows")),
            Map.entry("supervised", Set.of("head-widths")),
            Map.entry("csv", Set.of("test-fraction", "path")),
            Map.entry("simclr", Set.of("head-widths")),
            Map.entry("masked-autoencoder", Set.of("mask-ratio", "decoder-dim", "decoder-depth", "decoder-heads")),
            Map.entry("rotation", Set.of("head-widths")),
            Map.entry("image-denoising-autoencoder", Set.of("decoder-widths")),
            Map.entry("idx", Set.of("images", "height", "width", "limit")),
            Map.entry("pixel-csv", Set.of("path", "image-shape", "max-value", "height", "width", "limit")),
            Map.entry("image-folder", Set.of("path", "height", "width", "limit")),
            Map.entry("mlp", Set.of("widths", "dropout")),
            Map.entry("cnn", Set.of("channels", "pool-after", "kernel-size", "groups")),
            Map.entry("resnet", Set.of("widths", "blocks", "groups")),
            Map.entry("vit", Set.of("patch-size", "dim", "depth", "heads", "mlp-ratio", "dropout")),
            Map.entry("info-nce", Set.of("temperature")),
            Map.entry("nt-xent", Set.of("temperature")),
            Map.entry("triplet", Set.of("margin")),
            Map.entry("contrastive-margin", Set.of("margin")),
            Map.entry("cross-entropy", Set.of("label-smoothing")),
            Map.entry("vicreg", Set.of("invariance-weight", "variance-weight", "covariance-weight", "epsilon")),
            Map.entry("barlow-twins", Set.of("off-diagonal-weight", "epsilon")),
            Map.entry("cutout", Set.of("size", "count", "fill", "probability")),
            Map.entry("random-affine", Set.of("degrees", "translate", "min-scale", "max-scale", "probability")),
            Map.entry("random-resized-crop", Set.of("min-scale", "max-scale", "min-ratio", "max-ratio", "probability")),
            Map.entry("color-jitter", Set.of("brightness", "contrast", "saturation", "hue", "probability")),
            Map.entry("gaussian-blur", Set.of("min-sigma", "max-sigma", "kernel-size", "probability")),
            Map.entry("gaussian-noise", Set.of("sigma", "probability")),
            Map.entry("solarize", Set.of("threshold", "probability")),
            Map.entry("tensorflow", Set.of("intra-op-threads", "inter-op-threads")),
            Map.entry("djl", Set.of("intra-op-threads", "inter-op-threads")),
            Map.entry("onnx", Set.of("intra-op-threads", "inter-op-threads")));

    @Test
    void everyShippedProviderDeclaresTheRangesItOnceCheckedByHand() {
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> e : EXPECTED.entrySet()) {
            List<ProviderEntry> found = registry.entries().stream().filter(p -> p.id().equals(e.getKey())).toList();
            assertFalse(found.isEmpty(), "provider " + e.getKey() + " is on the class path");
            Set<String> bounded = new TreeSet<>();
            found.forEach(p -> p.provider().options().stream().filter(o -> !o.bounds().isNone()).forEach(o -> bounded.add(o.name())));
            Set<String> absent = new TreeSet<>(e.getValue());
            absent.removeAll(bounded);
            if (!absent.isEmpty()) {
                missing.put(e.getKey(), absent);
            }
        }
        assertEquals(Map.of(), missing, "options without a declared range");
    }

    @Test
    void everyDeclaredRangeIsCheckedWhenOptionsResolve() {
        int checked = 0;
        for (ProviderEntry entry : registry.entries()) {
            checked += checkAll(entry.id(), entry.provider().options());
        }
        checked += checkAll("training", TrainingSettings.OPTIONS);
        checked += checkAll("evaluation", EvaluationSettings.OPTIONS);
        assertTrue(checked > 100, "limits checked: " + checked);
    }

    /** @return the number of limits checked */
    private static int checkAll(String section, List<OptionSpec> specs) {
        int checked = 0;
        for (OptionSpec spec : specs) {
            Bounds b = spec.bounds();
            if (b.lower().isPresent()) {
                Bounds.Limit l = b.lower().get();
                double outside = l.inclusive() ? below(spec, l.value()) : l.value();
                double inside = l.inclusive() ? l.value() : above(spec, l.value());
                checkValue(section, specs, spec, outside, inside);
                checked++;
            }
            if (b.upper().isPresent()) {
                Bounds.Limit u = b.upper().get();
                double outside = u.inclusive() ? above(spec, u.value()) : u.value();
                double inside = u.inclusive() ? u.value() : below(spec, u.value());
                checkValue(section, specs, spec, outside, inside);
                checked++;
            }
            if (b.minLength() > 0) {
                checkLength(section, specs, spec, b.minLength() - 1);
                checked++;
            }
            if (b.maxLength() < Integer.MAX_VALUE) {
                checkLength(section, specs, spec, b.maxLength() + 1);
                checked++;
            }
        }
        return checked;
    }

    private static boolean integral(OptionSpec spec) {
        return spec.type() == OptionType.INTEGER || spec.type() == OptionType.INTEGER_LIST;
    }

    private static double below(OptionSpec spec, double v) {
        return integral(spec) ? Math.ceil(v) - 1 : Math.nextDown(v);
    }

    private static double above(OptionSpec spec, double v) {
        return integral(spec) ? Math.floor(v) + 1 : Math.nextUp(v);
    }

    /** The value as the option's type writes it; for a list, a list of the one value, as long as the list must be. */
    private static Object written(OptionSpec spec, double v) {
        return switch (spec.type()) {
            case INTEGER -> (long) v;
            case INTEGER_LIST -> Collections.nCopies(Math.max(1, spec.bounds().minLength()), (long) v);
            default -> v;
        };
    }

    private static Map<String, Object> withRequired(List<OptionSpec> specs, String name, Object value) {
        Map<String, Object> raw = new LinkedHashMap<>();
        specs.stream().filter(OptionSpec::required).forEach(s -> raw.put(s.name(), "x"));
        raw.put(name, value);
        return raw;
    }

    private static void checkValue(String section, List<OptionSpec> specs, OptionSpec spec, double outside, double inside) {
        String where = section + "." + spec.name() + " = ";
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> Options.resolve(section, specs, withRequired(specs, spec.name(), written(spec, outside)), registry),
                where + outside);
        String key = section + "." + spec.name() + (spec.type() == OptionType.INTEGER_LIST ? "[0]" : "");
        assertEquals(key, e.key(), where + outside);
        assertTrue(e.getMessage().endsWith("is out of range; allowed: " + spec.bounds().describeValues()), e.getMessage());
        Options.resolve(section, specs, withRequired(specs, spec.name(), written(spec, inside)), registry);
    }

    private static void checkLength(String section, List<OptionSpec> specs, OptionSpec spec, int length) {
        Object value = switch (spec.type()) {
            case TEXT -> "y".repeat(length);
            case INTEGER_LIST -> Collections.nCopies(length, (long) (double) spec.bounds().lower().map(l -> above(spec, l.value())).orElse(1.0));
            default -> new ArrayList<>();
        };
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> Options.resolve(section, specs, withRequired(specs, spec.name(), value), registry), section + "." + spec.name());
        assertEquals(section + "." + spec.name(), e.key());
    }
}
