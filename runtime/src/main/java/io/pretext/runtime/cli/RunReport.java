package io.pretext.runtime.cli;

import io.pretext.runtime.checkpoint.AtomicFiles;
import io.pretext.runtime.eval.EvaluationTable;
import io.pretext.runtime.report.RunPlots;
import io.pretext.runtime.train.PretrainedRun;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Prints a finished run and its evaluation, and writes the evaluation next to the artifacts. */
final class RunReport {

    private RunReport() {
    }

    static void printRun(PrintWriter out, PretrainedRun run) {
        PretrainedRun.RunStats s = run.stats();
        out.println(String.format(java.util.Locale.ROOT, "pretrained %s with %s on %s: %d epoch%s, %,d steps in %s, final loss %.4f, %,.0f rows/s (backend %s)",
                run.recipe().encoder().id(), run.recipe().task().id() + "/" + run.recipe().loss().id(), run.info().name(), s.epochs(), s.epochs() == 1 ? "" : "s", s.steps(),
                ConsoleProgress.clock(s.seconds()), s.finalLoss(), s.rowsPerSecond(), run.recipe().backend().id()));
    }

    static void printEvaluation(PrintWriter out, EvaluationTable table, Path folder) {
        printEvaluation(out, table, folder, "evaluation");
    }

    /** Prints the table and writes it as {@code NAME.md} and {@code NAME.json} in {@code folder}. */
    static void printEvaluation(PrintWriter out, EvaluationTable table, Path folder, String name) {
        Path md = folder.resolve(name + ".md");
        Path json = folder.resolve(name + ".json");
        AtomicFiles.writeString(md, table.toMarkdown());
        AtomicFiles.writeString(json, table.toJson());
        out.println();
        out.println("Accuracy on the held-out test split, % (mean ± std over label subsets):");
        out.println();
        out.print(table.toMarkdown());
        out.println();
        out.println("evaluation written to " + md + " and " + json);
    }

    static void printArtifacts(PrintWriter out, PretrainedRun run) {
        Path dir = run.recipe().output();
        out.println("artifacts in " + dir + ":");
        out.println("  encoder (heads dropped)   " + run.encoderFile());
        out.println("  checkpoint + recipe       " + dir.resolve("checkpoint"));
        out.println("  metrics (JSON lines)      " + dir.resolve("metrics.jsonl"));
        RunPlots.write(run, dir).forEach((what, file) -> out.println(String.format("  %-26s%s", what, file)));
    }
}
