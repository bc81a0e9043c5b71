package io.pretext.runtime.recipe;

import io.pretext.api.DataSource;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.OptionType;
import java.util.Map;

/**
 * Points a recipe's data section at another file, for commands that take {@code --data FILE}
 * ({@code evaluate}, {@code embed}). The file goes to the data source's first required text option
 * ({@code path} for CSV tables, {@code images} for IDX files): the runtime does not know the
 * sources, only what they declare.
 */
public final class DataFiles {

    private DataFiles() {
    }

    /** The option of {@code source} that names its input file. */
    public static String fileOption(DataSource source) {
        return source.options().stream()
                .filter(o -> o.required() && o.type() == OptionType.TEXT)
                .map(OptionSpec::name)
                .findFirst()
                .orElseThrow(() -> new InvalidOptionException("data", "data source '" + source.id()
                        + "' declares no required file option; give its options with --set data.KEY=VALUE instead of --data"));
    }

    /**
     * The recipe with its {@code data} section reading {@code file} (set directly: a path is not YAML)
     * and without a {@code test-data} section: data read from another file is split by the runtime.
     */
    public static Recipe pointAt(Recipe recipe, io.pretext.api.ComponentRegistry registry, java.nio.file.Path file) {
        Map<String, Object> tree = new java.util.LinkedHashMap<>(recipe.tree());
        Map<String, Object> section = new java.util.LinkedHashMap<>(recipe.section("data"));
        DataSource source = registry.get(DataSource.class, String.valueOf(section.get("id")));
        section.put(fileOption(source), file.toAbsolutePath().toString());
        tree.put("data", section);
        tree.remove("test-data");
        return new Recipe(tree, recipe.source());
    }
}
