package io.pretext.runtime.embed;

import io.pretext.runtime.recipe.Recipe;
import io.pretext.runtime.recipe.RecipeResolver;
import io.pretext.runtime.registry.PluginRegistry;
import io.pretext.runtime.train.Pretrainer;
import io.pretext.runtime.train.PretrainedRun;
import io.pretext.runtime.train.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A real, small pretraining run for the export and embed tests: SCARF on the first 400 rows of the
 * adult table (numeric and categorical columns, missing values), one epoch on TensorFlow.
 *
 * @param table the 400-row CSV (with its label column, income)
 * @param unlabeled the same rows without the label column
 * @param encoder the run's encoder.safetensors
 */
record SmallRun(Path table, Path unlabeled, Path encoder) {

    static final int ROWS = 400;
    static final int WIDTH = 16;

    static SmallRun pretrain(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "data", "tabular", "adult.csv")).subList(0, ROWS + 1);
        Path table = dir.resolve("adult-400.csv");
        Files.write(table, lines);
        Path unlabeled = dir.resolve("adult-400-unlabeled.csv");
        Files.write(unlabeled, lines.stream().map(l -> l.substring(0, l.lastIndexOf(';'))).toList());
        Path recipe = dir.resolve("recipe.yaml");
        Files.writeString(recipe, """
                name: adult-small
                seed: 3
                data: {id: csv, label: income}
                task: {id: scarf}
                encoder: {id: mlp, widths: [32, %d], normalization: batch}
                training: {epochs: 1, batch-size: 64}
                evaluation: {protocols: linear}
                """.formatted(WIDTH));
        Recipe r = Recipe.read(recipe).withOverrides(List.of("data.path=" + table.getFileName(), "output=" + dir.resolve("run")));
        try (PluginRegistry registry = PluginRegistry.fromClasspath();
             PretrainedRun run = new Pretrainer(registry, new RecipeResolver(registry).resolve(r, false), ProgressListener.none()).run()) {
            return new SmallRun(table, unlabeled, run.encoderFile());
        }
    }

    static Optional<Path> none() {
        return Optional.empty();
    }
}
