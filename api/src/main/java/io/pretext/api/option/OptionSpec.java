package io.pretext.api.option;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One option a provider takes: what the launcher validates a recipe against and prints as help.
 *
 * @param name the key inside the provider's section, lower-kebab-case (e.g. {@code corruption-rate})
 * @param type the value type
 * @param defaultValue the value used when the recipe is silent; empty means the option is required.
 *     Typed: Long, Double, Boolean, String, or List of Long
 * @param description one line of help
 * @param choices the allowed words for {@link OptionType#CHOICE}, empty otherwise
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public record OptionSpec(String name, OptionType type, Optional<Object> defaultValue, String description, List<String> choices) {

    /** Checks consistency of the declaration itself (a plugin bug, reported at load time). */
    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        choices = List.copyOf(choices);
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("option name '" + name + "' must be lower-kebab-case");
        }
        if ((type == OptionType.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException("option '" + name + "': choices are required for CHOICE and only for it");
        }
        List<String> allowed = choices;
        defaultValue = defaultValue.map(v -> Options.coerce(name, type, allowed, v));
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
     * @return a text option without default: the recipe must set it
     */
    public static OptionSpec requiredText(String name, String description) {
        return new OptionSpec(name, OptionType.TEXT, Optional.empty(), description, List.of());
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

    /** @return true when the recipe must set this option */
    public boolean required() {
        return defaultValue.isEmpty();
    }
}
