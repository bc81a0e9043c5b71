package io.pretext.api.option;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.UnknownComponentException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Options resolved against their declarations: types, bounds, full keys and component lists. */
class OptionsTest {

    /** A stand-in SPI for the component lists below. */
    private interface Step {
    }

    private static final Map<String, List<OptionSpec>> STEPS = Map.of(
            "noise", List.of(OptionSpec.decimal("sigma", 0.1, "strength").between(0, 10),
                    OptionSpec.decimal("probability", 1.0, "chance").between(0, 1)),
            "flip", List.of(OptionSpec.decimal("probability", 0.5, "chance").between(0, 1)));

    private static final ComponentCatalog CATALOG = new ComponentCatalog() {
        @Override
        public List<String> ids(Class<?> spi) {
            return spi == Step.class ? STEPS.keySet().stream().sorted().toList() : List.of();
        }

        @Override
        public Optional<List<OptionSpec>> optionsOf(Class<?> spi, String id) {
            return spi == Step.class ? Optional.ofNullable(STEPS.get(id)) : Optional.empty();
        }
    };

    private static final List<OptionSpec> SPECS = List.of(
            OptionSpec.decimal("rate", 0.5, "a share").greaterThan(0).lessThan(1),
            OptionSpec.integer("count", 3, "how many").between(1, 10_000_000),
            OptionSpec.integers("widths", List.of(8L), "layer widths").nonEmpty().atLeast(1),
            OptionSpec.decimal("epsilon", 1e-4, "small").greaterThan(0),
            OptionSpec.components("steps", Step.class, List.of(Map.of("id", "flip")), "a pipeline"));

    private static Options resolve(Map<String, ?> raw) {
        return Options.resolve("task", SPECS, raw, CATALOG);
    }

    private static InvalidOptionException refused(Map<String, ?> raw) {
        return assertThrows(InvalidOptionException.class, () -> resolve(raw));
    }

    @Test
    void aValueOutOfRangeIsNamedByItsFullKeyWithTheAllowedRange() {
        assertEquals("option 'task.rate': 1.5 is out of range; allowed: 0 < value < 1", refused(Map.of("rate", 1.5)).getMessage());
        assertEquals("option 'task.rate': 0 is out of range; allowed: 0 < value < 1", refused(Map.of("rate", "0")).getMessage());
        assertEquals("option 'task.count': 0 is out of range; allowed: 1 <= value <= 10000000", refused(Map.of("count", 0)).getMessage());
        assertEquals("option 'task.epsilon': 0 is out of range; allowed: value > 0", refused(Map.of("epsilon", 0.0)).getMessage());
        assertEquals(0.999, resolve(Map.of("rate", 0.999)).getDouble("rate"));
        assertEquals(10_000_000, resolve(Map.of("count", 10_000_000)).getInt("count"));
    }

    @Test
    void listsAreCheckedForLengthAndEachElementIsNamedByItsIndex() {
        InvalidOptionException element = refused(Map.of("widths", List.of(4, 0, 2)));
        assertEquals("task.widths[1]", element.key());
        assertEquals("option 'task.widths[1]': 0 is out of range; allowed: value >= 1", element.getMessage());
        InvalidOptionException empty = refused(Map.of("widths", "[]"));
        assertEquals("task.widths", empty.key());
        assertTrue(empty.getMessage().endsWith("allowed: at least 1 value"), empty.getMessage());
    }

    @Test
    void requiredTextMayNotBeEmpty() {
        List<OptionSpec> specs = List.of(OptionSpec.requiredText("path", "the file"));
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> Options.resolve("data", specs, Map.of("path", "  ")));
        assertEquals("option 'data.path': required and may not be empty (the file)", e.getMessage());
        assertEquals("option 'data.path': required (the file)",
                assertThrows(InvalidOptionException.class, () -> Options.resolve("data", specs, Map.of())).getMessage());
    }

    @Test
    void optionsNameTheirKeysForAProvidersOwnChecks() {
        Options o = resolve(Map.of());
        assertEquals("task", o.scope());
        assertEquals("task.rate", o.key("rate"));
        assertThrows(IllegalArgumentException.class, () -> o.key("rte"), "a key the provider does not declare is a plugin bug");
        assertEquals("count", Options.defaults(List.of(SPECS.get(1))).key("count"));
    }

    @Test
    void aDeclarationWhoseDefaultOrRangeIsWrongIsRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> OptionSpec.decimal("rate", 1.5, "x").between(0, 1));
        assertThrows(IllegalArgumentException.class, () -> OptionSpec.flag("on", true, "x").atLeast(0));
        assertThrows(IllegalArgumentException.class, () -> OptionSpec.choice("c", "a", "x", "a", "b").nonEmpty());
        assertThrows(IllegalArgumentException.class, () -> OptionSpec.decimal("rate", 0.5, "x").greaterThan(1).lessThan(1));
        assertThrows(IllegalArgumentException.class, () -> OptionSpec.integers("w", List.of(0L), "x").atLeast(1));
    }

    @Test
    void rangesReadAsAUserWritesThem() {
        assertEquals("0 < value < 1", SPECS.get(0).bounds().describe(OptionType.DECIMAL));
        assertEquals("value > 0.0001", OptionSpec.decimal("e", 1, "x").greaterThan(1e-4).bounds().describe(OptionType.DECIMAL));
        assertEquals("at least 1 value; each value >= 1", SPECS.get(2).bounds().describe(OptionType.INTEGER_LIST));
        assertEquals("2 to 3 values; each value >= 1", OptionSpec.integers("s", List.of(8L, 8L), "x").length(2, 3).atLeast(1).bounds()
                .describe(OptionType.INTEGER_LIST));
        assertEquals("not empty", OptionSpec.requiredText("path", "x").bounds().describe(OptionType.TEXT));
        assertEquals("", OptionSpec.flag("on", true, "x").bounds().describe(OptionType.BOOLEAN));
    }

    @Test
    void componentListsResolveEachElementAgainstItsProvidersOptions() {
        Options o = resolve(Map.of("steps", List.of(Map.of("id", "noise", "sigma", 0.3), Map.of("id", "flip"))));
        List<ComponentValue> steps = o.getComponents("steps");
        assertEquals(List.of("noise", "flip"), steps.stream().map(ComponentValue::id).toList());
        assertEquals(0.3, steps.get(0).options().getDouble("sigma"));
        assertEquals(1.0, steps.get(0).options().getDouble("probability"), "an element's defaults are filled in");
        assertEquals("task.steps[1].probability", steps.get(1).options().key("probability"));
        assertEquals(List.of(Map.of("id", "noise", "sigma", 0.3, "probability", 1.0), Map.of("id", "flip", "probability", 0.5)),
                o.asMap().get("steps"));
        assertEquals(List.of("flip"), resolve(Map.of()).getComponents("steps").stream().map(ComponentValue::id).toList(),
                "the default list is resolved like a written one");
    }

    @Test
    void theTextFormGivesTheSameListAndTheSameErrors() {
        assertEquals(resolve(Map.of("steps", List.of(Map.of("id", "noise", "sigma", 0.3), Map.of("id", "flip")))).asMap(),
                resolve(Map.of("steps", "noise(sigma=0.3), flip")).asMap());
        assertEquals(List.of(), resolve(Map.of("steps", "")).getComponents("steps"));
        InvalidOptionException fromList = refused(Map.of("steps", List.of(Map.of("id", "flip"), Map.of("id", "noise", "sigma", 11))));
        InvalidOptionException fromText = refused(Map.of("steps", "flip, noise(sigma=11)"));
        assertEquals("option 'task.steps[1].sigma': 11 is out of range; allowed: 0 <= value <= 10", fromList.getMessage());
        assertEquals(fromList.getMessage(), fromText.getMessage());
    }

    @Test
    void anUnknownComponentGetsTheKnownIdsAndASuggestion() {
        UnknownComponentException e = assertThrows(UnknownComponentException.class,
                () -> resolve(Map.of("steps", List.of(Map.of("id", "flip"), Map.of("id", "nosie")))));
        assertEquals("unknown step (recipe key task.steps[1].id) 'nosie'; known: flip, noise; did you mean 'noise'?", e.getMessage());
        InvalidOptionException option = refused(Map.of("steps", List.of(Map.of("id", "noise", "sigam", 1))));
        assertEquals("task.steps[0].sigam", option.key());
        assertTrue(option.getMessage().contains("did you mean 'sigma'?"), option.getMessage());
        assertEquals("task.steps[0].id", refused(Map.of("steps", List.of(Map.of("sigma", 1)))).key());
        assertThrows(UnknownComponentException.class, () -> Options.defaults(SPECS), "a default list needs a catalog to resolve against");
    }
}
