package io.pretext.api.option;

import io.pretext.api.error.UnknownComponentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a recipe's raw option values into typed ones, and checks them against their bounds. */
final class Values {
    private Values() {
    }

    /**
     * @param name the option, for messages
     * @param type its type
     * @param choices its words, for {@link OptionType#CHOICE}
     * @param v a string from a recipe or command line, or an already typed value
     * @return the typed value; for a component list, the elements as written (maps with {@code id})
     * @throws IllegalArgumentException saying what is wrong with the value
     */
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
                            list.add(o instanceof Number n && !(o instanceof Double || o instanceof Float) ? n.longValue()
                                    : Long.parseLong(String.valueOf(o).trim()));
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
                case COMPONENT_LIST:
                    return ComponentListText.elements(name, v);
                default:
                    throw new IllegalStateException(type.toString());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + type.name().toLowerCase().replace('_', ' ') + ", got '" + s + "'");
        }
    }

    /** A value outside its bounds: the key to report (an element's, for a list) and what is wrong. */
    record Problem(String key, String message) {
    }

    /**
     * @param key the option's full key
     * @param type its type
     * @param bounds its range
     * @param value its typed value
     * @return what is out of range, if anything
     */
    static Optional<Problem> check(String key, OptionType type, Bounds bounds, Object value) {
        switch (type) {
            case INTEGER:
            case DECIMAL: {
                double d = ((Number) value).doubleValue();
                return bounds.allows(d) ? Optional.empty()
                        : Optional.of(new Problem(key, shown(value) + " is out of range; allowed: " + bounds.describeValues()));
            }
            case TEXT: {
                String s = (String) value;
                if (bounds.allowsLength(s.length())) {
                    return Optional.empty();
                }
                return Optional.of(new Problem(key, s.isEmpty() ? "may not be empty"
                        : "'" + s + "' has " + s.length() + " characters; allowed: " + bounds.describeLength("character")));
            }
            case INTEGER_LIST: {
                List<?> list = (List<?>) value;
                if (!bounds.allowsLength(list.size())) {
                    return Optional.of(new Problem(key, list + " has " + list.size() + (list.size() == 1 ? " value" : " values")
                            + "; allowed: " + bounds.describeLength("value")));
                }
                for (int i = 0; i < list.size(); i++) {
                    long element = (Long) list.get(i);
                    if (!bounds.allows(element)) {
                        return Optional.of(new Problem(key + "[" + i + "]", element + " is out of range; allowed: "
                                + bounds.describeValues()));
                    }
                }
                return Optional.empty();
            }
            case COMPONENT_LIST: {
                int size = ((List<?>) value).size();
                return bounds.allowsLength(size) ? Optional.empty()
                        : Optional.of(new Problem(key, size + (size == 1 ? " component" : " components") + " given; allowed: "
                        + bounds.describeLength("component")));
            }
            default:
                return Optional.empty();
        }
    }

    /** {@link #check} for a declaration's default, which has no full key. */
    static Optional<String> checkBounds(String name, OptionType type, Bounds bounds, Object value) {
        return check(name, type, bounds, value).map(p -> (p.key().equals(name) ? "" : "(" + p.key() + ") ") + p.message());
    }

    private static String shown(Object value) {
        return value instanceof Double d ? Bounds.number(d) : String.valueOf(value);
    }

    /** @return a component list's elements as a recipe writes them */
    static List<Map<String, Object>> plain(List<ComponentValue> elements) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ComponentValue c : elements) {
            out.add(new LinkedHashMap<>(c.asMap()));
        }
        return List.copyOf(out);
    }
}
