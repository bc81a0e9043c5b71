package io.pretext.runtime.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.runtime.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pretext evaluate} and re-runs of {@code pretrain} as a user runs them, on a small real run. */
class EvaluateCommandTest {

    @TempDir
    static Path dir;

    private static SmallRun run;

    @BeforeAll
    static void pretrain() throws Exception {
        run = SmallRun.pretrain(dir);
    }

    @Test
    void evaluationOnOtherDataIsWrittenBesideTheRunsOwnAndLeavesItsLossCurve() throws Exception {
        Path folder = run.encoder().getParent();
        Path curve = folder.resolve("loss-curve.png");
        long before = Files.exists(curve) ? Files.getLastModifiedTime(curve).toMillis() : -1;
        Path other = dir.resolve("adult-other.csv");
        Files.copy(run.table(), other);
        Cli.Result r = Cli.run("evaluate", "--encoder", run.encoder().toString(), "--data", other.toString(), "--protocol", "linear",
                "--set", "evaluation.label-percents=[100]");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.isRegularFile(folder.resolve("evaluation-adult-other.md")), r.out());
        assertTrue(Files.isRegularFile(folder.resolve("embeddings-pca-adult-other.png")), r.out());
        assertEquals(before, Files.exists(curve) ? Files.getLastModifiedTime(curve).toMillis() : -1, "the run's loss curve is left alone");
    }

    @Test
    void fineTuningAloneStillShowsTheRawFeatureBaselineAndRunsOnTheBackendAsked() {
        Cli.Result r = Cli.run("evaluate", "--encoder", run.encoder().toString(), "--protocol", "finetune", "--backend", "djl",
                "--set", "evaluation.label-percents=[100]", "--set", "evaluation.finetune-epochs=1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("| raw features |") && r.out().contains("linear-probe 100%") && r.out().contains("finetune 100%"),
                r.out());
    }

    @Test
    void emptyOrRepeatedEvaluationSettingsAreRefusedBeforeAnyWork() {
        Cli.Result none = Cli.run("evaluate", "--encoder", run.encoder().toString(), "--set", "evaluation.label-percents=[]");
        assertEquals(Main.USER_ERROR, none.status());
        assertTrue(none.err().contains("evaluation.label-percents"), none.err());
        Cli.Result twice = Cli.run("evaluate", "--encoder", run.encoder().toString(), "--set", "evaluation.label-percents=[100, 100]");
        assertTrue(twice.err().contains("listed twice"), twice.err());
        Cli.Result noProtocol = Cli.run("evaluate", "--encoder", run.encoder().toString(), "--set", "evaluation.protocols=");
        assertTrue(noProtocol.err().contains("evaluation.protocols"), noProtocol.err());
    }

    @Test
    void aNewRunInAnOldFolderRemovesTheOldEvaluation() {
        Path out = dir.resolve("rerun");
        Cli.Result first = Cli.run("pretrain", dir.resolve("recipe.yaml").toString(), "--evaluate", "--set", "data.path=" + run.table(),
                "--set", "evaluation.label-percents=[100]", "--set", "output=" + out);
        assertEquals(0, first.status(), first.err());
        assertTrue(Files.exists(out.resolve("evaluation.md")));
        Cli.Result second = Cli.run("pretrain", dir.resolve("recipe.yaml").toString(), "--set", "data.path=" + run.table(), "--set",
                "encoder.widths=[8, 16]", "--set", "output=" + out);
        assertEquals(0, second.status(), second.err());
        assertFalse(Files.exists(out.resolve("evaluation.md")), "the evaluation of the earlier encoder is gone");
        assertFalse(Files.exists(out.resolve("evaluation.json")));
    }
}
