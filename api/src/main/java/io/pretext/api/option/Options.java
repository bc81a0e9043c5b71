package io.pretext.api.option;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.UnknownComponentException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validated option values of one provider: every declared option present (default filled in),
 * every value of its declared type and within its declared {@link Bounds}. Built with
 * {@link #resolve}, which rejects unknown keys and bad values with a message naming the full
 * recipe key and what is allowed, e.g.
 * {@code option 'task.corruption-rate': 1.5 is out of range; allowed: 0 <= value <= 1}.
 *
 * <p>The options know where they were written, so a provider's own checks (one option against
 * another) name the key as the user wrote it with {@link #key}: {@code task.rate}, or
 * {@code task.augmentations[2].sigma} for an element of a component list.
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public final class Options {
    private final String scope;
    private final Map<String, Object> values;

    private Options(String scope, Map<String, Object> values) {
        this.scope = scope;
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Resolves options that hold no component list (or only empty ones).
     *
     * @param scope where the options are written, e.g. {@code task} (keys read {@code task.rate})
     * @param specs the declared options
     * @param raw values from a recipe or command line: strings or already-typed values
     * @return validated options
     * @throws InvalidOptionException for an unknown key, a missing required key or a bad value
     */
    public static Options resolve(String scope, List<OptionSpec> specs, Map<String, ?> raw) {
        return resolve(scope, specs, raw, ComponentCatalog.EMPTY);
    }

    /**
     * @param scope where the options are written, e.g. {@code task} (keys read {@code task.rate})
     * @param specs the declared options
     * @param raw values from a recipe or command line: strings or already-typed values
     * @param catalog where the elements of component lists are found, with the options they declare
     * @return validated options
     * @throws InvalidOptionException for an unknown key, a missing required key or a bad value
     * @throws UnknownComponentException for a component-list element naming no known provider
     */
    public static Options resolve(String scope, List<OptionSpec> specs, Map<String, ?> raw, ComponentCatalog catalog) {
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        for (String key : raw.keySet()) {
            if (!byName.containsKey(key)) {
                List<String> known = new ArrayList<>(byName.keySet());
                String hint = UnknownComponentException.Suggestions.closest(key, known).map(s -> "; did you mean '" + s + "'?").orElse("");
                throw new InvalidOptionException(qualify(scope, key),
                        "unknown option; allowed: " + (known.isEmpty() ? "(none)" : String.join(", ", known)) + hint);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (OptionSpec spec : specs) {
            String key = qualify(scope, spec.name());
            Object v = raw.get(spec.name());
            if (v == null) {
                if (spec.required()) {
                    throw new InvalidOptionException(key, "required (" + spec.description() + ")");
                }
                v = spec.defaultValue().orElseThrow();
            }
            Object typed;
            try {
                typed = Values.coerce(spec.name(), spec.type(), spec.choices(), v);
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException(key, e.getMessage());
            }
            if (spec.required() && typed instanceof String text && text.isEmpty()) {
                // an empty path would silently mean "the recipe's own folder"
                throw new InvalidOptionException(key, "required and may not be empty (" + spec.description() + ")");
            }
            Values.check(key, spec.type(), spec.bounds(), typed).ifPresent(p -> {
                throw new InvalidOptionException(p.key(), p.message());
            });
            if (spec.type() == OptionType.COMPONENT_LIST) {
                typed = components(key, spec.componentType().orElseThrow(), castElements(typed), catalog);
            }
            out.put(spec.name(), typed);
        }
        return new Options(scope, out);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> castElements(Object typed) {
        return (List<Map<String, Object>>) typed;
    }

    /** Resolves each element of a component list against its provider's declared options, as {@code key[i]}. */
    private static List<ComponentValue> components(String key, Class<?> spi, List<Map<String, Object>> elements, ComponentCatalog catalog) {
        List<ComponentValue> out = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            String elementKey = key + "[" + i + "]";
            Map<String, Object> element = new LinkedHashMap<>(elements.get(i));
            Object id = element.remove(ComponentListText.ID);
            String kind = catalog.displayName(spi);
            if (id == null || String.valueOf(id).isBlank()) {
                List<String> known = catalog.ids(spi);
                throw new InvalidOptionException(elementKey + "." + ComponentListText.ID, "required: which " + kind + " to use; known: "
                        + (known.isEmpty() ? "(none)" : String.join(", ", known)));
            }
            String idText = String.valueOf(id).trim();
            List<OptionSpec> declared = catalog.optionsOf(spi, idText).orElseThrow(() ->
                    new UnknownComponentException(kind + " (recipe key " + elementKey + "." + ComponentListText.ID + ")", idText,
                            catalog.ids(spi)));
            out.add(new ComponentValue(idText, resolve(elementKey, declared, element, catalog)));
        }
        return List.copyOf(out);
    }

    /**
     * @param specs the declared options
     * @return the defaults; fails if any option is required or a default lists components
     */
    public static Options defaults(List<OptionSpec> specs) {
        return resolve("", specs, Map.of());
    }

    /**
     * @param specs the declared options
     * @param catalog where the elements of default component lists are found
     * @return the defaults; fails if any option is required
     */
    public static Options defaults(List<OptionSpec> specs, ComponentCatalog catalog) {
        return resolve("", specs, Map.of(), catalog);
    }

    private static String qualify(String scope, String key) {
        return scope == null || scope.isEmpty() ? key : scope + "." + key;
    }

    /** @return where these options are written, e.g. {@code task} or {@code task.augmentations[2]}; empty for bare defaults */
    public String scope() {
        return scope;
    }

    /**
     * The option's key as the user wrote it, for messages of a provider's own checks.
     *
     * @param name a declared option
     * @return its full recipe key, e.g. {@code task.rate} or {@code task.augmentations[2].sigma}
     * @throws IllegalArgumentException when no option of that name is declared (a plugin bug)
     */
    public String key(String name) {
        value(name);
        return qualify(scope, name);
    }

    private Object value(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("option '" + qualify(scope, name) + "' is not declared; declared: " + values.keySet());
        }
        return v;
    }

    /** @param name option name @return its value as int */
    public int getInt(String name) {
        return Math.toIntExact((Long) value(name));
    }

    /** @param name option name @return its value as long */
    public long getLong(String name) {
        return (Long) value(name);
    }

    /** @param name option name @return its value as double */
    public double getDouble(String name) {
        return (Double) value(name);
    }

    /** @param name option name @return its value as float */
    public float getFloat(String name) {
        return ((Double) value(name)).floatValue();
    }

    /** @param name option name @return its boolean value */
    public boolean getBoolean(String name) {
        return (Boolean) value(name);
    }

    /** @param name option name @return its text or choice value */
    public String getString(String name) {
        return (String) value(name);
    }

    /** @param name option name @return its integer-list value */
    @SuppressWarnings("unchecked")
    public List<Long> getLongs(String name) {
        return (List<Long>) value(name);
    }

    /** @param name option name @return its integer-list value as an int array */
    public int[] getInts(String name) {
        return getLongs(name).stream().mapToInt(Math::toIntExact).toArray();
    }

    /**
     * @param name a {@link OptionType#COMPONENT_LIST} option
     * @return its elements, each resolved against its provider's options, in order
     */
    @SuppressWarnings("unchecked")
    public List<ComponentValue> getComponents(String name) {
        return (List<ComponentValue>) value(name);
    }

    /**
     * @return every value by name, defaults included, as a recipe writes them (a component list as
     *     a list of maps, each {@code id} first); unmodifiable
     */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((name, v) -> out.put(name, isComponentList(v) ? Values.plain(castComponents(v)) : v));
        return Collections.unmodifiableMap(out);
    }

    private static boolean isComponentList(Object v) {
        return v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof ComponentValue;
    }

    @SuppressWarnings("unchecked")
    private static List<ComponentValue> castComponents(Object v) {
        return (List<ComponentValue>) v;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
