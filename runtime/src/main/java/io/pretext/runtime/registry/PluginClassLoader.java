package io.pretext.runtime.registry;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Enumeration;

/**
 * Class loader for one plugin jar. Child-first for the plugin's own classes and libraries, so
 * two plugins may carry different versions of a library; parent-first for the JDK, the Pretext
 * API and SLF4J, which must be shared for the plugin to speak to the runtime at all.
 *
 * <p>Service files ({@code META-INF/services/...}) are looked up in the jar only: otherwise a
 * {@link java.util.ServiceLoader} on this loader would list the classpath's providers a second time.
 */
final class PluginClassLoader extends URLClassLoader {

    private static final String[] SHARED_PREFIXES = {"java.", "javax.", "jdk.", "sun.", "io.pretext.api.", "org.slf4j."};

    static {
        registerAsParallelCapable();
    }

    private final Path jar;

    PluginClassLoader(Path jar, ClassLoader parent) throws IOException {
        super("pretext-plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, parent);
        this.jar = jar;
    }

    Path jar() {
        return jar;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        for (String prefix : SHARED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return super.loadClass(name, resolve);
            }
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException notInJar) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (name.startsWith("META-INF/services/")) {
            return findResources(name);
        }
        return super.getResources(name);
    }
}
