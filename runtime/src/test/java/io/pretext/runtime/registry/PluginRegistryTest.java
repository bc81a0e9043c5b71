package io.pretext.runtime.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.PretextTask;
import io.pretext.api.Spi;
import io.pretext.api.error.PluginLoadException;
import io.pretext.api.error.UnknownComponentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drops real plugin jars into a folder and loads them, as a user does. */
class PluginRegistryTest {

    @TempDir
    Path dir;

    private Path goodJar(Path folder) throws IOException {
        return FixtureJars.build(folder.resolve("row-shuffle-plugin.jar"),
                Map.of("fixture.RowShuffleTask", FixtureJars.taskSource("RowShuffleTask", "row-shuffle", "")),
                Map.of(FixtureJars.TASK_SERVICES, "fixture.RowShuffleTask\n"));
    }

    @Test
    void loadsATaskFromADroppedJar() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        goodJar(plugins);
        try (PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader(), List.of(plugins))) {
            ProviderEntry entry = registry.find(Spi.PRETEXT_TASK, "row-shuffle").orElseThrow();
            assertEquals("row-shuffle-plugin.jar", entry.origin().jarName());
            assertTrue(entry.origin().pluginFolder());
            assertEquals("9.9.9-fixture", entry.provider().version());
            assertEquals("row-shuffle", registry.get(PretextTask.class, "row-shuffle").id());
            assertTrue(registry.problems().isEmpty(), registry.problems().toString());
        }
    }

    @Test
    void duplicateIdsAreRefusedNamingBothJars() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        goodJar(plugins);
        FixtureJars.build(plugins.resolve("another-shuffle.jar"),
                Map.of("fixture.OtherShuffle", FixtureJars.taskSource("OtherShuffle", "row-shuffle", "")),
                Map.of(FixtureJars.TASK_SERVICES, "fixture.OtherShuffle\n"));
        PluginLoadException e = assertThrows(PluginLoadException.class,
                () -> PluginRegistry.load(getClass().getClassLoader(), List.of(plugins)));
        assertTrue(e.getMessage().contains("row-shuffle-plugin.jar"), e.getMessage());
        assertTrue(e.getMessage().contains("another-shuffle.jar"), e.getMessage());
        assertTrue(e.getMessage().contains("'row-shuffle'"), e.getMessage());
    }

    @Test
    void brokenProvidersAreReportedAndTheOthersStillLoad() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        goodJar(plugins);
        // One jar: a provider whose constructor throws, a class that does not exist, and a healthy provider after them.
        FixtureJars.build(plugins.resolve("broken-plugin.jar"),
                Map.of("fixture.ExplodingTask", FixtureJars.taskSource("ExplodingTask", "exploding",
                                "throw new IllegalStateException(\"license file missing\");"),
                        "fixture.FineTask", FixtureJars.taskSource("FineTask", "fine", "")),
                Map.of(FixtureJars.TASK_SERVICES, "fixture.ExplodingTask\nfixture.DoesNotExist\nfixture.FineTask\n"));
        try (PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader(), List.of(plugins))) {
            assertTrue(registry.find(Spi.PRETEXT_TASK, "row-shuffle").isPresent());
            assertTrue(registry.find(Spi.PRETEXT_TASK, "fine").isPresent(), "a healthy provider after broken ones still loads");
            assertEquals(2, registry.problems().size(), registry.problems().toString());
            String all = registry.problems().stream().map(LoadProblem::describe).reduce("", (a, b) -> a + "\n" + b);
            assertTrue(all.contains("broken-plugin.jar"), all);
            assertTrue(all.contains("license file missing"), all);
            assertTrue(all.contains("fixture.DoesNotExist"), all);
        }
    }

    @Test
    void unknownIdListsTheKnownOnes() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        goodJar(plugins);
        try (PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader(), List.of(plugins))) {
            UnknownComponentException e = assertThrows(UnknownComponentException.class, () -> registry.get(PretextTask.class, "row-shufle"));
            assertTrue(e.getMessage().contains("row-shuffle"), e.getMessage());
            assertTrue(e.getMessage().contains("did you mean 'row-shuffle'"), e.getMessage());
            assertTrue(e.knownIds().contains("row-shuffle"), e.knownIds().toString());
        }
    }

    @Test
    void aMissingPluginsFolderIsAClearError() {
        PluginLoadException e = assertThrows(PluginLoadException.class,
                () -> PluginRegistry.load(getClass().getClassLoader(), List.of(dir.resolve("nope"))));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void providersBuiltForAnotherApiVersionAreSkipped() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        String source = FixtureJars.taskSource("FutureTask", "future", "")
                .replace("return PretextApi.VERSION;", "return PretextApi.VERSION + 1;");
        FixtureJars.build(plugins.resolve("future.jar"), Map.of("fixture.FutureTask", source),
                Map.of(FixtureJars.TASK_SERVICES, "fixture.FutureTask\n"));
        try (PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader(), List.of(plugins))) {
            assertTrue(registry.find(Spi.PRETEXT_TASK, "future").isEmpty());
            assertEquals(1, registry.problems().size());
            assertTrue(registry.problems().get(0).describe().contains("API version"), registry.problems().get(0).describe());
        }
    }

    @Test
    void aFileThatIsNotAJarIsReportedAndTheOthersLoad() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        goodJar(plugins);
        Files.writeString(plugins.resolve("notes.jar"), "this is not a zip file");
        try (PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader(), List.of(plugins))) {
            assertTrue(registry.find(Spi.PRETEXT_TASK, "row-shuffle").isPresent());
            assertEquals(1, registry.problems().size(), registry.problems().toString());
            String text = registry.problems().get(0).describe();
            assertTrue(text.contains("notes.jar") && text.contains("not a readable jar"), text);
        }
    }
}
