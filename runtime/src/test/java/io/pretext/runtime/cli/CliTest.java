package io.pretext.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.runtime.registry.FixtureJars;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher as a user runs it: arguments in, text and exit status out. */
class CliTest {

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        Result r = run("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("plugins"), r.out());
        assertTrue(r.out().contains("describe"), r.out());
    }

    @Test
    void versionNamesTheApiVersion() {
        Result r = run("--version");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("plugin API version 1"), r.out());
    }

    @Test
    void pluginsListsClasspathProvidersAndADroppedJar() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        FixtureJars.build(plugins.resolve("row-shuffle-plugin.jar"),
                Map.of("fixture.RowShuffleTask", FixtureJars.taskSource("RowShuffleTask", "row-shuffle", "")),
                Map.of(FixtureJars.TASK_SERVICES, "fixture.RowShuffleTask\n"));
        Result r = run("plugins", "--plugins", plugins.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("row-shuffle"), r.out());
        assertTrue(r.out().contains("row-shuffle-plugin.jar"), r.out());
        assertTrue(r.out().contains("9.9.9-fixture"), r.out());
        assertTrue(r.out().contains("info-nce"), "classpath losses are listed too: " + r.out());
        assertTrue(r.out().contains("Pretext tasks"), r.out());
    }

    @Test
    void pluginsWithAnIdListsItsOptionsAndAMisspeltIdGetsTheKnownOnes() {
        Result r = run("plugins", "info-nce", "mlp");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Loss info-nce") && r.out().contains("Encoder mlp"), r.out());
        for (String option : List.of("temperature", "widths", "normalization")) {
            assertTrue(r.out().contains(option), option + " in " + r.out());
        }
        assertTrue(r.out().contains("none|batch|layer"), "choices are listed: " + r.out());

        Result misspelt = run("plugins", "info-nse");
        assertEquals(Main.USER_ERROR, misspelt.status());
        assertTrue(misspelt.err().contains("did you mean 'info-nce'"), misspelt.err());

        Result describe = run("describe", "info-nce");
        assertEquals(Main.USER_ERROR, describe.status());
        assertTrue(describe.err().contains("provider id, not a recipe file") && describe.err().contains("pretext plugins info-nce"),
                describe.err());
    }

    @Test
    void pluginsWithAnIdShowsEachOptionsRangeBesideTypeAndDefault() {
        Result r = run("plugins", "scarf", "simclr");
        assertEquals(0, r.status(), r.err());
        String header = r.out().lines().filter(l -> l.trim().startsWith("option")).findFirst().orElseThrow();
        assertTrue(header.matches("\\s*option\\s+type\\s+default\\s+range\\s+meaning\\s*"), header);
        String rate = r.out().lines().filter(l -> l.trim().startsWith("corruption-rate")).findFirst().orElseThrow();
        assertTrue(rate.matches("\\s*corruption-rate\\s+decimal\\s+0\\.6\\s+0 <= value <= 1\\s+.*"), rate);
        String widths = r.out().lines().filter(l -> l.trim().startsWith("head-widths")).findFirst().orElseThrow();
        assertTrue(widths.contains("at least 1 value; each value >= 1"), widths);
        String pipeline = r.out().lines().filter(l -> l.trim().startsWith("augmentations")).findFirst().orElseThrow();
        assertTrue(pipeline.contains("augmentation list") && pipeline.contains("[{id: random-resized-crop}, {id: horizontal-flip}"),
                pipeline);
    }

    @Test
    void aListSplitByTheShellGetsAQuotingHintInsteadOfTheWholeUsage() {
        Result r = run("describe", "../examples/scarf-infonce.yaml", "--set", "encoder.widths=[32,", "16]");
        assertEquals(Main.USER_ERROR, r.status());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("must be quoted") && r.err().contains("pretext describe --help"),
                r.err());
        assertTrue(!r.err().contains("Usage:"), "one line of advice, not the usage: " + r.err());
    }

    @Test
    void pluginsReportsADuplicateIdWithBothJars() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        for (String jar : new String[] {"a.jar", "b.jar"}) {
            FixtureJars.build(plugins.resolve(jar), Map.of("fixture.Shuffle", FixtureJars.taskSource("Shuffle", "row-shuffle", "")),
                    Map.of(FixtureJars.TASK_SERVICES, "fixture.Shuffle\n"));
        }
        Result r = run("plugins", "--plugins", plugins.toString());
        assertEquals(Main.USER_ERROR, r.status());
        assertTrue(r.err().contains("a.jar") && r.err().contains("b.jar"), r.err());
    }

    @Test
    void pluginsReportsABrokenProviderAndListsTheRest() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        FixtureJars.build(plugins.resolve("broken.jar"),
                Map.of("fixture.Exploding", FixtureJars.taskSource("Exploding", "exploding", "throw new IllegalStateException(\"boom\");")),
                Map.of(FixtureJars.TASK_SERVICES, "fixture.Exploding\n"));
        Result r = run("plugins", "--plugins", plugins.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("failed to load"), r.out());
        assertTrue(r.out().contains("broken.jar") && r.out().contains("boom"), r.out());
        assertTrue(r.out().contains("mlp"), r.out());
    }

    @Test
    void describePrintsTheResolvedRecipeAndSaysABackendIsMissing() throws IOException {
        Path recipe = dir.resolve("r.yaml");
        Files.writeString(recipe, """
                data: {id: test-gaussian-rows, features: 5}
                task: {id: test-noisy-pair}
                encoder: {id: mlp, widths: [16, 8]}
                backend: {id: not-installed-yet}
                """);
        Result r = run("describe", recipe.toString(), "--set", "training.epochs=2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("epochs: 2"), r.out());
        assertTrue(r.out().contains("temperature: 0.1"), "the default loss and its defaults are shown: " + r.out());
        assertTrue(r.out().contains("backend 'not-installed-yet' is not present"), r.out());
        assertTrue(r.out().contains("input [5] -> output [8]"), r.out());
    }

    @Test
    void describeRejectsABadKeyNamingIt() throws IOException {
        Path recipe = dir.resolve("r.yaml");
        Files.writeString(recipe, "data: {id: test-gaussian-rows}\ntask: {id: test-noisy-pair}\n");
        Result r = run("describe", recipe.toString(), "--set", "encoder.widht=3");
        assertEquals(Main.USER_ERROR, r.status());
        assertTrue(r.err().contains("encoder.widht") && r.err().contains("widths"), r.err());
    }

    @Test
    void aPluginFailureNamesThePluginAndItsJar() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        FixtureJars.build(plugins.resolve("row-shuffle-plugin.jar"),
                Map.of("fixture.RowShuffleTask", FixtureJars.taskSource("RowShuffleTask", "row-shuffle", "")),
                Map.of(FixtureJars.TASK_SERVICES, "fixture.RowShuffleTask\n"));
        Path recipe = dir.resolve("r.yaml");
        Files.writeString(recipe, "data: {id: test-gaussian-rows}\ntask: {id: row-shuffle}\ntraining: {epochs: 1, batch-size: 16}\n"
                + "output: " + dir.resolve("out") + "\n");
        Result r = run("pretrain", recipe.toString(), "--plugins", plugins.toString());
        assertEquals(Main.USER_ERROR, r.status(), r.err());
        assertTrue(r.err().contains("pretext task 'row-shuffle' (row-shuffle-plugin.jar) failed in bind"), r.err());
        assertTrue(r.err().contains("fixture: listing only"), r.err());
    }

    @Test
    void describeChecksValueRangesAsPretrainWould() {
        Path example = Path.of("..", "examples", "scarf-infonce.yaml").toAbsolutePath().normalize();
        Result ok = run("describe", example.toString());
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().contains("task model (encoder + heads)"), ok.out());
        Result bad = run("describe", example.toString(), "--set", "task.corruption-rate=1.5");
        assertEquals(Main.USER_ERROR, bad.status(), bad.out());
        assertTrue(bad.err().contains("corruption-rate"), bad.err());
    }
}
