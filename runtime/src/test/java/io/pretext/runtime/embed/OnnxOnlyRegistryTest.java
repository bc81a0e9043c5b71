package io.pretext.runtime.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.Spi;
import io.pretext.runtime.registry.PluginRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedding with an exported ONNX model needs no training backend: a registry loaded from a class
 * loader that holds only the onnx, tabular and core plugins and the layer library (TensorFlow
 * cannot even be loaded from it) embeds the same values as TensorFlow does from the encoder file.
 */
class OnnxOnlyRegistryTest {

    @TempDir
    static Path dir;

    private static SmallRun run;
    private static Path model;

    @BeforeAll
    static void pretrainAndExport() throws Exception {
        run = SmallRun.pretrain(dir);
        model = dir.resolve("model.onnx");
        try (PluginRegistry full = PluginRegistry.fromClasspath()) {
            EncoderExport.export(full, run.encoder(), EncoderExport.Format.ONNX, model, Optional.empty());
        }
    }

    /** Shares the API, SLF4J and ONNX Runtime's classes (one native library per JVM) with the test; hides everything else. */
    private static final class SharedOnly extends ClassLoader {
        private static final String[] SHARED = {"io.pretext.api.", "org.slf4j.", "ai.onnxruntime."};
        private final ClassLoader app;

        SharedOnly(ClassLoader app) {
            super("api-only", ClassLoader.getPlatformClassLoader());
            this.app = app;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            for (String prefix : SHARED) {
                if (name.startsWith(prefix)) {
                    return app.loadClass(name);
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    /** The class-path root (jar or folder) whose service file for {@code spi} lists a class of {@code pluginPackage}. */
    private static URL pluginRoot(String spi, String pluginPackage) throws IOException {
        String service = "META-INF/services/" + spi;
        for (URL url : Collections.list(OnnxOnlyRegistryTest.class.getClassLoader().getResources(service))) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                if (r.lines().anyMatch(l -> l.trim().startsWith(pluginPackage))) {
                    return root(url, service);
                }
            }
        }
        throw new AssertionError("no " + pluginPackage + " provider of " + spi + " on the test class path");
    }

    private static URL classRoot(String resource) throws IOException {
        URL url = OnnxOnlyRegistryTest.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new AssertionError(resource + " is not on the test class path");
        }
        return root(url, resource);
    }

    private static URL root(URL url, String resource) throws IOException {
        String s = url.toString();
        s = s.substring(0, s.length() - resource.length());
        if (s.startsWith("jar:")) {
            s = s.substring("jar:".length(), s.length() - "!/".length());
        }
        return new URL(s);
    }

    private static URLClassLoader onnxTabularCore() throws IOException {
        List<URL> urls = new ArrayList<>(List.of(
                pluginRoot("io.pretext.api.Backend", "io.pretext.onnx."),
                pluginRoot("io.pretext.api.DataSource", "io.pretext.tabular."),
                pluginRoot("io.pretext.api.Encoder", "io.pretext.core."),
                classRoot("io/pretext/layers/Dense.class"), // the layer library the core plugin's mlp is built from
                classRoot("ai/onnx/proto/OnnxMl.class"),
                classRoot("com/google/protobuf/Message.class")));
        return new URLClassLoader("onnx-tabular-core", urls.toArray(URL[]::new), new SharedOnly(OnnxOnlyRegistryTest.class.getClassLoader()));
    }

    @Test
    void anExportedModelEmbedsWithOnlyOnnxTabularAndCore() throws Exception {
        Path reference = dir.resolve("tensorflow.npy");
        try (PluginRegistry full = PluginRegistry.fromClasspath()) {
            StreamingEmbedder.Result r = StreamingEmbedder.run(full, request(run.encoder(), reference), ProgressBar.silent());
            assertTrue(r.how().contains("tensorflow"), r.how());
        }
        Path fromOnnx = dir.resolve("onnx-only.npy");
        Path fromFile = dir.resolve("encoder-file-on-onnx.npy");
        try (URLClassLoader loader = onnxTabularCore(); PluginRegistry registry = PluginRegistry.load(loader, List.of())) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.tensorflow.TensorFlow"));
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("io.pretext.tensorflow.TensorFlowBackend"));
            assertEquals(List.of("onnx"), registry.ids(Spi.BACKEND), "no training backend: " + registry.ids(Spi.BACKEND));
            assertTrue(registry.problems().isEmpty(), registry.problems().stream().map(p -> p.describe()).collect(Collectors.joining("\n")));

            StreamingEmbedder.Result r = StreamingEmbedder.run(registry, request(model, fromOnnx), ProgressBar.silent());
            assertEquals(SmallRun.ROWS, r.rows());
            // The encoder file too: its recipe's backend (tensorflow) is absent, so it runs traced on onnx.
            StreamingEmbedder.Result f = StreamingEmbedder.run(registry, request(run.encoder(), fromFile), ProgressBar.silent());
            assertTrue(f.how().contains("backend onnx"), f.how());
        }
        Npy want = Npy.read(reference);
        for (Path p : List.of(fromOnnx, fromFile)) {
            Npy got = Npy.read(p);
            assertEquals(want.rows(), got.rows());
            double diff = 0;
            for (int i = 0; i < want.data().length; i++) {
                diff = Math.max(diff, Math.abs(want.data()[i] - got.data()[i]));
            }
            assertTrue(diff < 1e-4, p.getFileName() + ": max abs difference from TensorFlow " + diff);
        }
    }

    private static EmbedRequest request(Path encoder, Path out) {
        return new EmbedRequest(encoder, run.table(), out, 128, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of());
    }
}
