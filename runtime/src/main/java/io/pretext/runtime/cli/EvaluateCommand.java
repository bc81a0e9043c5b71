package io.pretext.runtime.cli;

import com.google.inject.Guice;
import io.pretext.runtime.eval.EvaluationTable;
import io.pretext.runtime.registry.PluginRegistry;
import io.pretext.runtime.train.Evaluator;
import io.pretext.runtime.train.PretrainedRun;
import io.pretext.runtime.train.SavedEncoder;
import io.pretext.runtime.wiring.LaunchSettings;
import io.pretext.runtime.wiring.RuntimeModule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pretext evaluate --encoder FILE}: raw features vs random encoder vs the saved encoder. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved encoder (encoder.safetensors from pretrain) beside raw features and the untrained encoder.")
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    PluginFolders plugins;

    @Option(names = "--encoder", required = true, paramLabel = "FILE", description = "encoder.safetensors written by pretext pretrain")
    Path encoder;

    @Option(names = "--protocol", paramLabel = "LIST", description = "Protocols, comma-separated: linear, knn, finetune (default: the recipe's).")
    String protocol;

    @Option(names = "--data", paramLabel = "FILE", description = "Labeled data to evaluate on, read whole by the encoder's data source "
            + "(a CSV table, an image folder, an IDX or pixel-CSV file; default: the data the encoder was pretrained on).")
    String data;

    @Option(names = "--backend", paramLabel = "ID", description = "Backend to embed and fine-tune on (default: the recipe's).")
    String backend;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override a key of the stored recipe, e.g. --set evaluation.repeats=3.")
    List<String> overrides = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = Guice.createInjector(new RuntimeModule(new LaunchSettings(plugins.all(), Optional.empty(), List.of())))
                .getInstance(PluginRegistry.class);
        List<String> all = new ArrayList<>(overrides);
        if (protocol != null) {
            all.add("evaluation.protocols=" + protocol);
        }
        if (backend != null) {
            all.add("backend.id=" + backend);
        }
        try (PretrainedRun run = SavedEncoder.open(registry, encoder, all,
                data == null ? java.util.Optional.empty() : java.util.Optional.of(Path.of(data).toAbsolutePath()))) {
            EvaluationTable table = new Evaluator(registry).evaluate(run);
            Path folder = encoder.toAbsolutePath().getParent();
            // on other data than pretraining's, the files are named after it and the run's own evaluation stays
            String stem = data == null ? null : Path.of(data).getFileName().toString().replaceFirst("\\.[^.]*(\\.gz)?$", "");
            RunReport.printEvaluation(spec.commandLine().getOut(), table, folder, stem == null ? "evaluation" : "evaluation-" + stem);
            if (data == null) {
                io.pretext.runtime.report.RunPlots.write(run, folder).forEach((what, file) ->
                        spec.commandLine().getOut().println(String.format(java.util.Locale.ROOT, "%-26s%s", what, file)));
            } else {
                // other data: its own picture, beside (not over) the pretraining run's
                io.pretext.runtime.report.RunPlots.writeEmbeddings(run, folder.resolve("embeddings-pca-" + stem + ".png")).ifPresent(png ->
                        spec.commandLine().getOut().println(String.format(java.util.Locale.ROOT, "%-26s%s", "test embeddings (PNG)", png)));
            }
        }
        return 0;
    }
}
