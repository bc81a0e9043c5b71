package io.pretext.api.option;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One option a provider takes: what the launcher validates a recipe against and prints as help.
 * Made by the factories ({@link #integer}, {@link #decimal}, ...) and narrowed by the range
 * methods, which {@link Options#resolve} checks with one message style:
 *
 * <pre>
 * OptionSpec.decimal("corruption-rate", 0.6, "share of features replaced").between(0, 1)
 * OptionSpec.integers("widths", List.of(256L), "layer widths").nonEmpty().atLeast(1)
 * </pre>
 *
 * @param name the key inside the provider's section, lower-kebab-case (e.g. {@code corruption-rate})
 * @param type the value type
 * @param defaultValue the value used when the recipe is silent; empty means the option is required.
 *     Typed: Long, Double, Boolean, String, List of Long, or for a component list the elements as
 *     written (maps holding {@code id} and options), resolved like a recipe's value
 * @param description one line of help
 * @param choices the allowed words for {@link OptionType#CHOICE}, empty otherwise
 * @param bounds the allowed range ({@link Bounds#NONE}: any value of the type)
 * @param componentType for {@link OptionType#COMPONENT_LIST}, the SPI interface its elements are
 *     providers of (e.g. {@code Augmentation.class}); empty otherwise
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public record OptionSpec(String name, OptionType type, Optional<Object> defaultValue, String description, List<String> choices,
                         Bounds bounds, Optional<Class<?>> componentType) {

    /** Checks consistency of the declaration itself (a plugin bug, reported at load time). */
    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(componentType, "componentType");
        choices = List.copyOf(choices);
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("option name '" + name + "' must be lower-kebab-case");
        }
        if ((type == OptionType.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException("option '" + name + "': choices are required for CHOICE and only for it");
        }
        if ((type == OptionType.COMPONENT_LIST) != componentType.isPresent()) {
            throw new IllegalArgumentException("option '" + name + "': a component type is required for COMPONENT_LIST and only for it");
        }
        boolean numeric = type == OptionType.INTEGER || type == OptionType.DECIMAL || type == OptionType.INTEGER_LIST;
        if (bounds.limitsValues() && !numeric) {
            throw new IllegalArgumentException("option '" + name + "': value limits apply to numbers and integer lists, not " + type);
        }
        boolean measured = type == OptionType.TEXT || type == OptionType.INTEGER_LIST || type == OptionType.COMPONENT_LIST;
        if (bounds.limitsLength() && !measured) {
            throw new IllegalArgumentException("option '" + name + "': length limits apply to lists and text, not " + type);
        }
        List<String> allowed = choices;
        defaultValue = defaultValue.map(v -> Values.coerce(name, type, allowed, v));
        Bounds range = bounds;
        defaultValue.ifPresent(v -> Values.checkBounds(name, type, range, v).ifPresent(problem -> {
            throw new IllegalArgumentException("option '" + name + "': the default " + problem);
        }));
    }

    /**
     * An option without bounds or component type, as declared before those existed.
     *
     * @param name key
     * @param type value type
     * @param defaultValue default, empty when required
     * @param description help
     * @param choices allowed words for {@link OptionType#CHOICE}
     */
    public OptionSpec(String name, OptionType type, Optional<Object> defaultValue, String description, List<String> choices) {
        this(name, type, defaultValue, description, choices, Bounds.NONE, Optional.empty());
    }

    /**
     * @param name key
     * @param defaultValue default
     * @param description help
     * @return an integer option
     */
    public static OptionSpec integer(String name, long defaultValue, String description) {
        return new OptionSpec(name, OptionType.INTEGER, Optional.of(defaultValue), description, List.of());
    }

    /**
     * @param name key
     * @param defaultValue default
     * @param description help
     * @return a decimal option
     */
    public static OptionSpec decimal(String name, double defaultValue, String description) {
        return new OptionSpec(name, OptionType.DECIMAL, Optional.of(defaultValue), description, List.of());
    }

    /**
     * @param name key
     * @param defaultValue default
     * @param description help
     * @return a boolean option
     */
    public static OptionSpec flag(String name, boolean defaultValue, String description) {
        return new OptionSpec(name, OptionType.BOOLEAN, Optional.of(defaultValue), description, List.of());
    }

    /**
     * @param name key
     * @param defaultValue default
     * @param description help
     * @return a text option
     */
    public static OptionSpec text(String name, String defaultValue, String description) {
        return new OptionSpec(name, OptionType.TEXT, Optional.of(defaultValue), description, List.of());
    }

    /**
     * @param name key
     * @param description help
     * @return a text option without default: the recipe must set it, and not to empty text
     */
    public static OptionSpec requiredText(String name, String description) {
        return new OptionSpec(name, OptionType.TEXT, Optional.empty(), description, List.of()).nonEmpty();
    }

    /**
     * @param name key
     * @param defaultValue default, one of {@code choices}
     * @param description help
     * @param choices allowed words
     * @return a choice option
     */
    public static OptionSpec choice(String name, String defaultValue, String description, String... choices) {
        return new OptionSpec(name, OptionType.CHOICE, Optional.of(defaultValue), description, List.of(choices));
    }

    /**
     * @param name key
     * @param defaultValue default
     * @param description help
     * @return an integer-list option
     */
    public static OptionSpec integers(String name, List<Long> defaultValue, String description) {
        return new OptionSpec(name, OptionType.INTEGER_LIST, Optional.of(defaultValue), description, List.of());
    }

    /**
     * A list of components, each a provider of {@code spi} with its own options. A recipe writes
     * it as a list of maps ({@code [{id: gaussian-noise, sigma: 0.1}, {id: cutout}]}) or, as a
     * shorthand, as text ({@code gaussian-noise(sigma=0.1), cutout}); both resolve alike.
     *
     * @param name key
     * @param spi the SPI interface of the elements, e.g. {@code Augmentation.class}
     * @param defaultValue default elements, each a map with {@code id} and option values
     * @param description help
     * @return a component-list option
     */
    public static OptionSpec components(String name, Class<?> spi, List<? extends Map<String, ?>> defaultValue, String description) {
        return new OptionSpec(name, OptionType.COMPONENT_LIST, Optional.of(defaultValue), description, List.of(), Bounds.NONE,
                Optional.of(spi));
    }

    /**
     * @param min the least allowed value (of each element, for an integer list)
     * @return this option limited to values {@code >= min}
     */
    public OptionSpec atLeast(double min) {
        return withBounds(bounds.withLower(new Bounds.Limit(min, true)));
    }

    /**
     * @param min the value the option must exceed (each element, for an integer list)
     * @return this option limited to values {@code > min}
     */
    public OptionSpec greaterThan(double min) {
        return withBounds(bounds.withLower(new Bounds.Limit(min, false)));
    }

    /**
     * @param max the greatest allowed value (of each element, for an integer list)
     * @return this option limited to values {@code <= max}
     */
    public OptionSpec atMost(double max) {
        return withBounds(bounds.withUpper(new Bounds.Limit(max, true)));
    }

    /**
     * @param max the value the option must stay below (each element, for an integer list)
     * @return this option limited to values {@code < max}
     */
    public OptionSpec lessThan(double max) {
        return withBounds(bounds.withUpper(new Bounds.Limit(max, false)));
    }

    /**
     * @param min the least allowed value
     * @param max the greatest allowed value
     * @return this option limited to {@code min <= value <= max}
     */
    public OptionSpec between(double min, double max) {
        return atLeast(min).atMost(max);
    }

    /** @return this option limited to a list of at least one element, or a text of at least one character */
    public OptionSpec nonEmpty() {
        return withBounds(bounds.withLength(Math.max(1, bounds.minLength()), bounds.maxLength()));
    }

    /**
     * @param min the least number of elements
     * @param max the greatest number of elements
     * @return this list option limited to that many elements
     */
    public OptionSpec length(int min, int max) {
        return withBounds(bounds.withLength(min, max));
    }

    private OptionSpec withBounds(Bounds narrowed) {
        return new OptionSpec(name, type, defaultValue, description, choices, narrowed, componentType);
    }

    /** @return true when the recipe must set this option */
    public boolean required() {
        return defaultValue.isEmpty();
    }
}
