package io.pretext.runtime.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.PretextException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A recipe as written: a tree of sections read from YAML, with command-line overrides applied.
 * Nothing is validated here; {@link RecipeResolver} checks every key against the options the
 * chosen providers declare.
 *
 * <pre>
 * name: scarf-letter
 * seed: 42
 * data:     {id: csv, path: data/tabular/letter-recognition.csv, label: letter}
 * task:     {id: scarf, corruption-rate: 0.6}
 * encoder:  {id: mlp, widths: [256, 256, 256]}
 * loss:     {id: info-nce, temperature: 0.1}
 * backend:  {id: tensorflow}
 * training: {epochs: 40, batch-size: 256, optimizer: adam, learning-rate: 0.001}
 * </pre>
 *
 * @param tree the sections, in file order
 * @param source the file it was read from, if any (relative data paths resolve against its folder)
 */
public record Recipe(Map<String, Object> tree, Optional<Path> source) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    public Recipe {
        tree = deepCopy(tree);
    }

    /** Reads a recipe file. */
    public static Recipe read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new PretextException("recipe file " + file.toAbsolutePath() + " does not exist");
        } catch (IOException e) {
            throw new PretextException("cannot read recipe " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return new Recipe(parse(text, file.toString()), Optional.of(file.toAbsolutePath()));
    }

    /** Parses recipe text; {@code origin} names it in errors. */
    public static Recipe parse(String yaml, String origin, Optional<Path> source) {
        return new Recipe(parse(yaml, origin), source);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String text, String origin) {
        try {
            Object root = YAML.readValue(text, Object.class);
            if (root == null) {
                return new LinkedHashMap<>();
            }
            if (!(root instanceof Map)) {
                throw new PretextException("recipe " + origin + " must be a mapping of sections (data, task, encoder, ...), found "
                        + root.getClass().getSimpleName());
            }
            return (Map<String, Object>) root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new PretextException("recipe " + origin + " is not valid YAML at" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Applies overrides of the form {@code section.key=value} (e.g. {@code training.epochs=5},
     * {@code encoder.widths=[128,128]}, {@code seed=7}). The value is read as YAML.
     */
    @SuppressWarnings("unchecked")
    public Recipe withOverrides(List<String> overrides) {
        Map<String, Object> copy = deepCopy(tree);
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new InvalidOptionException(override, "an override is key=value, e.g. training.epochs=5");
            }
            String key = override.substring(0, eq).trim();
            String raw = override.substring(eq + 1).trim();
            Object value;
            try {
                value = raw.isEmpty() ? "" : YAML.readValue(raw, Object.class);
            } catch (JsonProcessingException e) {
                value = raw;
            }
            String[] path = key.split("\\.");
            Map<String, Object> node = copy;
            for (int i = 0; i < path.length - 1; i++) {
                Object child = node.get(path[i]);
                if (child == null) {
                    child = new LinkedHashMap<String, Object>();
                    node.put(path[i], child);
                } else if (!(child instanceof Map)) {
                    throw new InvalidOptionException(key, "'" + String.join(".", java.util.Arrays.copyOf(path, i + 1))
                            + "' is a value, not a section");
                }
                node = (Map<String, Object>) child;
            }
            node.put(path[path.length - 1], value);
        }
        return new Recipe(copy, source);
    }

    /** A section as a map (empty when absent). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String name) {
        Object v = tree.get(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw new InvalidOptionException(name, "must be a section (key: value lines), found '" + v + "'");
        }
        return (Map<String, Object>) v;
    }

    /** The folder relative paths resolve against: the recipe's folder, or the working directory. */
    public Path baseDirectory() {
        return source.map(Path::getParent).orElse(Path.of("").toAbsolutePath());
    }

    /** Writes a tree as YAML, as {@code describe} prints it and checkpoints store it. */
    public static String toYaml(Map<String, Object> tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This recipe as YAML. */
    public String toYaml() {
        return toYaml(tree);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                v = deepCopy((Map<String, Object>) m);
            } else if (v instanceof List<?> l) {
                v = new ArrayList<>(l);
            }
            out.put(String.valueOf(e.getKey()), v);
        }
        return out;
    }
}
