package io.pretext.api.option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the elements of a {@link OptionType#COMPONENT_LIST} value as written: a list of maps
 * ({@code [{id: random-affine, degrees: 15}, {id: gaussian-noise, sigma: 0.1}]}), where an
 * element may also be a bare id or one item of the text form; or the text form, each component by
 * its id with optional {@code key=value} options in parentheses:
 *
 * <pre>random-affine(degrees=15, min-scale=0.75), gaussian-noise(sigma=0.1)</pre>
 *
 * Both give the same maps (option values as text are typed when the element is resolved), so they
 * resolve to the same components with the same errors.
 */
final class ComponentListText {
    /** The key of an element's map that names its provider. */
    static final String ID = "id";

    private ComponentListText() {
    }

    /**
     * @param name the option, for messages
     * @param value a list (of maps, ids or text items) or text
     * @return one map per element, each with {@code id} (as written, checked when resolved) and options
     * @throws IllegalArgumentException for text that is not of the form above, or an element that is neither map nor text
     */
    static List<Map<String, Object>> elements(String name, Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Object element = list.get(i);
                if (element instanceof Map<?, ?> map) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
                    out.add(java.util.Collections.unmodifiableMap(copy));
                } else if (element instanceof String text && !text.isBlank()) {
                    List<Map<String, Object>> items = parse(text);
                    if (items.size() != 1) {
                        throw new IllegalArgumentException("element [" + i + "] '" + text + "' names " + items.size()
                                + " components; write one per element, e.g. {id: gaussian-noise, sigma: 0.1}");
                    }
                    out.add(items.get(0));
                } else {
                    throw new IllegalArgumentException("element [" + i + "] is '" + element + "'; write each component as "
                            + "{id: ID, option: value, ...}");
                }
            }
            return List.copyOf(out);
        }
        if (value instanceof Map<?, ?>) {
            throw new IllegalArgumentException("is a single map; write a list of components: [{id: ID, option: value}, ...]");
        }
        return parse(String.valueOf(value));
    }

    /**
     * @param spec the text form; blank means no component
     * @return the items, in order
     */
    static List<Map<String, Object>> parse(String spec) {
        List<Map<String, Object>> out = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (int i = 0; i <= spec.length(); i++) {
            char ch = i < spec.length() ? spec.charAt(i) : ',';
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
                if (depth < 0) {
                    throw new IllegalArgumentException("unbalanced ')' at character " + (i + 1) + " of '" + spec + "'");
                }
            }
            if (ch == ',' && depth == 0) {
                String text = current.toString().trim();
                if (!text.isEmpty()) {
                    out.add(item(text, spec));
                } else if (i < spec.length()) {
                    throw new IllegalArgumentException("empty component at character " + (i + 1) + " of '" + spec + "'");
                }
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced '(' in '" + spec + "'");
        }
        return List.copyOf(out);
    }

    private static Map<String, Object> item(String text, String spec) {
        int open = text.indexOf('(');
        String id = (open < 0 ? text : text.substring(0, open)).trim();
        if (!id.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("'" + id + "' is not a component id (lower-kebab-case) in '" + spec + "'");
        }
        Map<String, Object> options = new LinkedHashMap<>();
        options.put(ID, id);
        if (open >= 0) {
            if (!text.endsWith(")")) {
                throw new IllegalArgumentException("text after ')' in '" + text + "'");
            }
            String body = text.substring(open + 1, text.length() - 1).trim();
            if (!body.isEmpty()) {
                for (String pair : body.split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("'" + pair.trim() + "' in '" + text + "' is not key=value");
                    }
                    String key = pair.substring(0, eq).trim();
                    if (key.equals(ID) || options.put(key, pair.substring(eq + 1).trim()) != null) {
                        throw new IllegalArgumentException("'" + key + "' given twice in '" + text + "'");
                    }
                }
            }
        }
        return java.util.Collections.unmodifiableMap(options);
    }
}
