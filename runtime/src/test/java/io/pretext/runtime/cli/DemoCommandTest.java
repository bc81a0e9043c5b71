package io.pretext.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pretext demo}, shortened to one epoch, on the real letter table shipped in data/tabular. */
class DemoCommandTest {

    @TempDir
    Path dir;

    private String previousHome;

    @BeforeEach
    void pointAtProjectHome() {
        previousHome = System.getProperty("pretext.home");
        // Surefire runs in the module folder; the shipped data lives at the project root.
        System.setProperty("pretext.home", Path.of("..").toAbsolutePath().normalize().toString());
    }

    @AfterEach
    void restore() {
        if (previousHome == null) {
            System.clearProperty("pretext.home");
        } else {
            System.setProperty("pretext.home", previousHome);
        }
    }

    @Test
    void demoPretrainsAndPrintsTheThreeRowTable() {
        CliTest.Result r = CliTest.run("demo", "--set", "training.epochs=1", "--set", "evaluation.protocols=linear",
                "--set", "evaluation.label-percents=[10]", "--set", "evaluation.repeats=1", "--set", "output=" + dir.resolve("demo"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("| raw features |"), r.out());
        assertTrue(r.out().contains("| random encoder |"), r.out());
        assertTrue(r.out().contains("| pretrained (scarf) |"), r.out());
        assertTrue(r.out().contains("letter-recognition.csv: 16000 training rows, 4000 held-out test rows"), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("demo/encoder.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("demo/evaluation.md")));
    }

    @Test
    void demoRecipeIsShown() {
        CliTest.Result r = CliTest.run("demo", "--show-recipe");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("id: scarf"), r.out());
        CliTest.Result changed = CliTest.run("demo", "--show-recipe", "--set", "training.epochs=2", "--backend", "djl");
        assertEquals(0, changed.status(), changed.err());
        assertTrue(changed.out().contains("epochs: 2") && !changed.out().contains("epochs: 40") && changed.out().contains("id: djl"),
                "the overrides are in what is shown: " + changed.out());
    }
}
