package io.pretext.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first run on a fresh machine: the native library cache is empty and TensorFlow's ~650 MB
 * unpack on first use. Two JVMs start at once on the same empty cache (as two tools launched
 * together would) and both must train.
 */
class ColdNativeCacheTest {

    @Test
    void twoJvmsTrainOnAnEmptyNativeCache(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("javacpp-cache");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Path out = dir.resolve("out" + i + ".txt");
                outputs.add(out);
                processes.add(new ProcessBuilder(java, "-Dorg.bytedeco.javacpp.cachedir=" + cache, "-cp", classPath,
                        ColdStartProbe.class.getName()).redirectErrorStream(true).redirectOutput(out.toFile()).start());
            }
            for (int i = 0; i < 2; i++) {
                assertTrue(processes.get(i).waitFor(240, TimeUnit.SECONDS), "child JVM " + i + " did not finish");
                String output = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
                assertEquals(0, processes.get(i).exitValue(), output);
                assertTrue(output.contains("cold-start 4.0 0.5"), output);
            }
            assertTrue(Files.isDirectory(cache), "the native libraries unpacked into the given cache");
        } finally {
            processes.forEach(Process::destroyForcibly);
            deleteTree(cache); // ~650 MB: do not leave it in the temp folder
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
