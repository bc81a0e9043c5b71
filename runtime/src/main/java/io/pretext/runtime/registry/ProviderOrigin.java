package io.pretext.runtime.registry;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * Where a provider came from: a jar (or class folder) on the classpath, or a jar in a plugins folder.
 *
 * @param location the jar or folder, as a path when known
 * @param pluginFolder true when the jar was loaded from a {@code --plugins} folder
 */
public record ProviderOrigin(Optional<Path> location, boolean pluginFolder) {

    /** The origin of a class: the jar or folder its code source names. */
    public static ProviderOrigin of(Class<?> type, boolean pluginFolder) {
        CodeSource source = type.getProtectionDomain() == null ? null : type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return new ProviderOrigin(Optional.empty(), pluginFolder);
        }
        try {
            return new ProviderOrigin(Optional.of(Path.of(source.getLocation().toURI())), pluginFolder);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new ProviderOrigin(Optional.empty(), pluginFolder);
        }
    }

    /** A jar in a plugins folder. */
    public static ProviderOrigin pluginJar(Path jar) {
        return new ProviderOrigin(Optional.of(jar), true);
    }

    /** Short form for tables: the jar's file name, or "classpath". */
    public String jarName() {
        return location.map(p -> p.getFileName().toString()).orElse("classpath");
    }

    @Override
    public String toString() {
        return location.map(Path::toString).orElse("classpath");
    }
}
