package io.pretext.runtime.wiring;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the command line says before any recipe is read: plugin folders, recipe, overrides.
 *
 * @param pluginFolders folders whose jars are loaded as plugins
 * @param recipe the recipe file, if the command takes one
 * @param overrides {@code key=value} overrides applied to the recipe
 */
public record LaunchSettings(List<Path> pluginFolders, Optional<Path> recipe, List<String> overrides) {

    public LaunchSettings {
        pluginFolders = List.copyOf(pluginFolders);
        overrides = List.copyOf(overrides);
    }
}
