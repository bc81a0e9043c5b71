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
 * every value of its declared type. Built with {@link #resolve}, which rejects unknown keys and
 * bad values with a message naming the key and what is allowed.
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
     * @param scope prefix used in error messages, e.g. {@code task} (keys read {@code task.rate})
     * @param specs the declared options
     * @param raw values from a recipe or command line: strings or already-typed values
     * @return validated options
     * @throws InvalidOptionException for an unknown key, a missing required key or a bad value
     */
    public static Options resolve(String scope, List<OptionSpec> specs, Map<String, ?> raw) {
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
            Object v = raw.get(spec.name());
            if (spec.required() && v != null && String.valueOf(v).isBlank()) {
                // an empty path would silently mean "the recipe's own folder"
                throw new InvalidOptionException(qualify(scope, spec.name()), "required and may not be empty (" + spec.description() + ")");
            }
            if (v == null) {
                if (spec.required()) {
                    throw new InvalidOptionException(qualify(scope, spec.name()), "required (" + spec.description() + ")");
                }
                out.put(spec.name(), spec.defaultValue().orElseThrow());
            } else {
                try {
                    out.put(spec.name(), coerce(spec.name(), spec.type(), spec.choices(), v));
                } catch (IllegalArgumentException e) {
                    throw new InvalidOptionException(qualify(scope, spec.name()), e.getMessage());
                }
            }
        }
        return new Options(scope, out);
    }

    /**
     * @param specs the declared options
     * @return the defaults; fails if any option is required
     */
    public static Options defaults(List<OptionSpec> specs) {
        return resolve("", specs, Map.of());
    }

    private static String qualify(String scope, String key) {
        return scope == null || scope.isEmpty() ? key : scope + "." + key;
    }

    static Object coerce(String name, OptionType type, List<String> choices, Object v) {
        String s = String.valueOf(v).trim();
        try {
            switch (type) {
                case INTEGER:
                    if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) {
                        return n.longValue();
                    }
                    return Long.parseLong(s);
                case DECIMAL: {
                    double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(s);
                    if (!Double.isFinite(d)) {
                        throw new IllegalArgumentException("must be a finite number, got '" + s + "'");
                    }
                    return d;
                }
                case BOOLEAN:
                    if (v instanceof Boolean b) {
                        return b;
                    }
                    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                        return Boolean.parseBoolean(s);
                    }
                    throw new IllegalArgumentException("must be true or false, got '" + s + "'");
                case TEXT:
                    return s;
                case CHOICE:
                    if (!choices.contains(s)) {
                        String hint = UnknownComponentException.Suggestions.closest(s, choices).map(c -> "; did you mean '" + c + "'?").orElse("");
                        throw new IllegalArgumentException("'" + s + "' is not allowed; allowed: " + String.join(", ", choices) + hint);
                    }
                    return s;
                case INTEGER_LIST: {
                    List<Long> list = new ArrayList<>();
                    if (v instanceof List<?> l) {
                        for (Object o : l) {
                            list.add(Long.parseLong(String.valueOf(o).trim()));
                        }
                    } else {
                        String body = s.replace("[", "").replace("]", "").trim();
                        if (!body.isEmpty()) {
                            for (String p : body.split("[,\\s]+")) {
                                list.add(Long.parseLong(p));
                            }
                        }
                    }
                    return List.copyOf(list);
                }
                default:
                    throw new IllegalStateException(type.toString());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + type.name().toLowerCase().replace('_', ' ') + ", got '" + s + "'");
        }
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

    /** @return every value by name, defaults included (unmodifiable) */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
