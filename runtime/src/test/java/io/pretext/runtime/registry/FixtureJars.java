package io.pretext.runtime.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** Builds real plugin jars in tests: compiles Java sources against the test classpath and packs them with service files. */
public final class FixtureJars {

    private FixtureJars() {
    }

    /**
     * Compiles {@code sources} (class name to source) and writes a jar with the given service files
     * (e.g. {@code META-INF/services/io.pretext.api.PretextTask} to its lines).
     */
    public static Path build(Path jar, Map<String, String> sources, Map<String, String> resources) throws IOException {
        Path classes = Files.createTempDirectory("fixture-classes");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> units = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            units.add(new SimpleJavaFileObject(URI.create("string:///" + e.getKey().replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return e.getValue();
                }
            });
        }
        List<String> options = List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"), "--release", "17",
                "-proc:none");
        boolean ok = compiler.getTask(null, null, null, options, null, units).call();
        if (!ok) {
            throw new IllegalStateException("fixture sources did not compile");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Implementation-Version", "9.9.9-fixture");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            for (Map.Entry<String, String> r : resources.entrySet()) {
                out.putNextEntry(new JarEntry(r.getKey()));
                OutputStream o = out;
                o.write(r.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Source of a minimal pretext task provider with the given id, in package {@code fixture}. */
    public static String taskSource(String simpleName, String id, String constructorBody) {
        return """
                package fixture;

                import io.pretext.api.*;
                import io.pretext.api.data.Modality;
                import io.pretext.api.option.*;
                import java.util.List;

                public final class %s implements PretextTask {
                    public %s() { %s }
                    @Override public String id() { return "%s"; }
                    @Override public String description() { return "fixture task %s, shuffles rows"; }
                    @Override public int apiVersion() { return PretextApi.VERSION; }
                    @Override public List<OptionSpec> options() {
                        return List.of(OptionSpec.decimal("rate", 0.5, "share of features to shuffle"));
                    }
                    @Override public Modality modality() { return Modality.TABLE; }
                    @Override public LossKind lossKind() { return LossKind.PAIR; }
                    @Override public TaskModel bind(TaskContext context, Options options) {
                        throw new UnsupportedOperationException("fixture: listing only");
                    }
                }
                """.formatted(simpleName, simpleName, constructorBody, id, id);
    }

    /** The service file entry name for the PretextTask SPI. */
    public static final String TASK_SERVICES = "META-INF/services/io.pretext.api.PretextTask";
}
