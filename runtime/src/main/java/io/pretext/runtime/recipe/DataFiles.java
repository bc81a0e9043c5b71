package io.pretext.runtime.recipe;

import io.pretext.api.ComponentRegistry;
import io.pretext.api.DataSource;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Points a pretrained encoder's stored recipe at another file, for commands that take
 * {@code --data FILE} ({@code evaluate}, {@code embed}). What changes in the data section is the
 * data source's own answer ({@link DataSource#readInstead}): the runtime does not know the
 * sources, only what they declare.
 */
public final class DataFiles {

    private DataFiles() {
    }

    /**
     * The recipe with its {@code data} section reading all of {@code file} (set directly: a path
     * is not YAML) and without a {@code test-data} section: data read from another file is split
     * by the runtime. Apply the user's overrides after this.
     *
     * @param recipe the stored recipe, before the user's overrides
     * @param registry where the data source is found
     * @param file the file or folder to read
     * @param encoderInput the pretrained encoder's per-example input shape
     * @return the recipe reading {@code file}
     */
    public static Recipe pointAt(Recipe recipe, ComponentRegistry registry, Path file, Shape encoderInput) {
        Map<String, Object> tree = new LinkedHashMap<>(recipe.tree());
        Map<String, Object> section = new LinkedHashMap<>(recipe.section("data"));
        DataSource source = registry.get(DataSource.class, String.valueOf(section.get("id")));
        Map<String, Object> raw = new LinkedHashMap<>(section);
        raw.remove("id");
        Options trained = Options.resolve("data", source.options(), raw);
        section.putAll(source.readInstead(file.toAbsolutePath(), trained, encoderInput));
        tree.put("data", section);
        tree.remove("test-data");
        return new Recipe(tree, recipe.source());
    }
}
