package io.pretext.runtime.registry;

import io.pretext.api.ComponentRegistry;
import io.pretext.api.PretextApi;
import io.pretext.api.Provider;
import io.pretext.api.Spi;
import io.pretext.api.error.PluginLoadException;
import io.pretext.api.error.UnknownComponentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every provider of the six SPIs found on the classpath and in plugin folders, by id.
 *
 * <p>Loading is forgiving about broken providers and strict about ambiguity: a provider whose
 * class is missing, whose constructor throws, or that was built for another API version is
 * recorded as a {@link LoadProblem} and the others still load; two providers with the same id
 * for the same SPI are refused with an error naming both jars, because which one a recipe meant
 * cannot be guessed.
 */
public final class PluginRegistry implements ComponentRegistry, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
    private static final int MAX_ERRORS_PER_LOADER = 1000;

    private final List<ProviderEntry> entries;
    private final List<LoadProblem> problems;
    private final List<PluginClassLoader> loaders;

    private PluginRegistry(List<ProviderEntry> entries, List<LoadProblem> problems, List<PluginClassLoader> loaders) {
        this.entries = List.copyOf(entries);
        this.problems = List.copyOf(problems);
        this.loaders = List.copyOf(loaders);
    }

    /** Providers on the class path of this class's loader only. */
    public static PluginRegistry fromClasspath() {
        return load(PluginRegistry.class.getClassLoader(), List.of());
    }

    /**
     * Loads the providers visible to {@code classpath}, then those of every jar in each plugin folder.
     *
     * @throws PluginLoadException when a plugin folder is missing or unreadable, or two providers share an id
     */
    public static PluginRegistry load(ClassLoader classpath, List<Path> pluginFolders) {
        List<ProviderEntry> entries = new ArrayList<>();
        List<LoadProblem> problems = new ArrayList<>();
        List<PluginClassLoader> loaders = new ArrayList<>();
        for (Spi spi : Spi.values()) {
            collect(spi, classpath, false, null, entries, problems);
        }
        try {
            for (Path folder : pluginFolders) {
                for (Path jar : jarsIn(folder)) {
                    try (java.util.jar.JarFile check = new java.util.jar.JarFile(jar.toFile())) {
                        check.getManifest(); // reads the central directory: a truncated or non-zip file fails here
                    } catch (IOException e) {
                        problems.add(new LoadProblem(null, ProviderOrigin.pluginJar(jar), "is not a readable jar (" + e.getMessage() + ")", e));
                        continue;
                    }
                    PluginClassLoader loader;
                    try {
                        loader = new PluginClassLoader(jar, classpath);
                    } catch (IOException e) {
                        throw new PluginLoadException("cannot open plugin jar " + jar + ": " + e.getMessage(), e);
                    }
                    loaders.add(loader);
                    int before = entries.size() + problems.size();
                    for (Spi spi : Spi.values()) {
                        collect(spi, loader, true, jar, entries, problems);
                    }
                    if (entries.size() + problems.size() == before) {
                        LOG.warn("plugin jar {} declares no provider of any Pretext SPI (no META-INF/services/io.pretext.api.* file)", jar);
                    }
                }
            }
            rejectDuplicates(entries);
        } catch (RuntimeException e) {
            loaders.forEach(PluginRegistry::closeQuietly);
            throw e;
        }
        problems.forEach(p -> LOG.warn("skipped {}", p.describe()));
        return new PluginRegistry(entries, problems, loaders);
    }

    private static List<Path> jarsIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new PluginLoadException("plugins folder " + folder.toAbsolutePath() + " does not exist or is not a folder");
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new PluginLoadException("cannot list plugins folder " + folder.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static void collect(Spi spi, ClassLoader loader, boolean pluginFolder, Path jar, List<ProviderEntry> entries,
                                List<LoadProblem> problems) {
        ProviderOrigin fallbackOrigin = jar == null ? new ProviderOrigin(Optional.empty(), false) : ProviderOrigin.pluginJar(jar);
        Iterator<? extends Provider> it = ServiceLoader.load(spi.type(), loader).iterator();
        int errors = 0;
        while (errors < MAX_ERRORS_PER_LOADER) {
            Provider provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                // ServiceLoader moves past a broken entry, so the next call finds the next provider.
                errors++;
                problems.add(new LoadProblem(spi, fallbackOrigin, "could not be loaded: " + e.getMessage(), e));
                continue;
            }
            ProviderOrigin origin = jar == null ? ProviderOrigin.of(provider.getClass(), false) : ProviderOrigin.pluginJar(jar);
            String className = provider.getClass().getName();
            try {
                String id = provider.id();
                if (id == null || !id.matches("[a-z][a-z0-9-]*")) {
                    problems.add(new LoadProblem(spi, origin, className + " has an invalid id '" + id
                            + "' (ids are lower-kebab-case, e.g. 'my-task')", null));
                    continue;
                }
                if (provider.apiVersion() != PretextApi.VERSION) {
                    problems.add(new LoadProblem(spi, origin, "'" + id + "' (" + className + ") was built for Pretext API version "
                            + provider.apiVersion() + "; this runtime speaks version " + PretextApi.VERSION, null));
                    continue;
                }
                provider.options(); // a provider whose option declarations throw cannot be configured
            } catch (RuntimeException | LinkageError e) {
                problems.add(new LoadProblem(spi, origin, className + " failed while describing itself", e));
                continue;
            }
            entries.add(new ProviderEntry(spi, provider, origin));
        }
    }

    private static void rejectDuplicates(List<ProviderEntry> entries) {
        Map<String, ProviderEntry> seen = new LinkedHashMap<>();
        List<String> clashes = new ArrayList<>();
        for (ProviderEntry e : entries) {
            ProviderEntry first = seen.putIfAbsent(e.spi().name() + "/" + e.id(), e);
            if (first != null) {
                clashes.add(e.spi().displayName() + " id '" + e.id() + "' is provided twice: by "
                        + first.provider().getClass().getName() + " in " + first.origin() + " and by "
                        + e.provider().getClass().getName() + " in " + e.origin());
            }
        }
        if (!clashes.isEmpty()) {
            throw new PluginLoadException(String.join("\n", clashes) + "\nremove one of the jars, or give one provider another id");
        }
    }

    /** All loaded providers, SPI by SPI, in id order. */
    public List<ProviderEntry> entries() {
        return entries.stream()
                .sorted(Comparator.comparing((ProviderEntry e) -> e.spi().ordinal()).thenComparing(ProviderEntry::id))
                .toList();
    }

    /** Loaded providers of one SPI, in id order. */
    public List<ProviderEntry> entries(Spi spi) {
        return entries().stream().filter(e -> e.spi() == spi).toList();
    }

    /** Providers that failed to load, with jar and cause. */
    public List<LoadProblem> problems() {
        return problems;
    }

    /** The entry for an id, if loaded. */
    public Optional<ProviderEntry> find(Spi spi, String id) {
        return entries.stream().filter(e -> e.spi() == spi && e.id().equals(id)).findFirst();
    }

    /** The known ids of one SPI, sorted. */
    public List<String> ids(Spi spi) {
        return entries(spi).stream().map(ProviderEntry::id).toList();
    }

    @Override
    public <T extends Provider> T get(Class<T> spi, String id) {
        Spi kind = Spi.of(spi);
        return find(kind, id).map(e -> spi.cast(e.provider()))
                .orElseThrow(() -> new UnknownComponentException(kind.displayName(), id, ids(kind)));
    }

    @Override
    public <T extends Provider> List<T> all(Class<T> spi) {
        Spi kind = Spi.of(spi);
        return entries(kind).stream().map(e -> spi.cast(e.provider())).toList();
    }

    /** Closes the plugin jars' class loaders; providers from them must not be used afterwards. */
    @Override
    public void close() {
        loaders.forEach(PluginRegistry::closeQuietly);
    }

    private static void closeQuietly(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.debug("closing class loader of {}: {}", loader.jar(), e.toString());
        }
    }
}
