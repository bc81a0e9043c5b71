package io.pretext.runtime.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.pretext.api.Backend;
import io.pretext.runtime.eval.EvaluationTable;
import io.pretext.runtime.recipe.ResolvedRecipe;
import io.pretext.runtime.registry.PluginRegistry;
import io.pretext.runtime.train.Evaluator;
import io.pretext.runtime.train.PretrainedRun;
import io.pretext.runtime.train.Pretrainer;
import io.pretext.runtime.wiring.LaunchSettings;
import io.pretext.runtime.wiring.RuntimeModule;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pretext pretrain RECIPE}: pretrain, write checkpoint and encoder, optionally evaluate. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretrain an encoder as the recipe says; writes the checkpoint, the encoder and metrics to the output folder.")
public final class PretrainCommand implements Callable<Integer> {

    @Mixin
    PluginFolders plugins;

    @Mixin
    RecipeArguments recipeArguments;

    @Option(names = "--evaluate", description = "Evaluate afterwards (raw features / random encoder / pretrained), as the recipe's evaluation section says.")
    boolean evaluate;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Injector injector = Guice.createInjector(new RuntimeModule(new LaunchSettings(plugins.all(), Optional.of(recipeArguments.recipe),
                recipeArguments.overrides())));
        return run(injector, spec.commandLine().getOut(), spec.commandLine().getErr(), evaluate);
    }

    static int run(Injector injector, PrintWriter out, PrintWriter err, boolean evaluate) {
        PluginRegistry registry = injector.getInstance(PluginRegistry.class);
        ResolvedRecipe recipe = injector.getInstance(ResolvedRecipe.class);
        injector.getInstance(Backend.class); // refuses a backend that cannot train before any data is read
        if (evaluate && recipe.training().streaming()) {
            throw new io.pretext.api.error.InvalidOptionException("training.streaming", "a streamed run keeps no held-out split to evaluate on; "
                    + "drop --evaluate and run pretext evaluate --encoder " + recipe.output().resolve(Pretrainer.ENCODER_FILE) + " --data LABELED_DATA");
        }
        Pretrainer pretrainer = new Pretrainer(registry, recipe, new ConsoleProgress(err));
        try (PretrainedRun run = (evaluate ? pretrainer.evaluationFollows() : pretrainer).run()) {
            RunReport.printRun(out, run);
            if (evaluate) {
                EvaluationTable table = new Evaluator(registry).evaluate(run);
                RunReport.printEvaluation(out, table, recipe.output());
            }
            RunReport.printArtifacts(out, run);
        }
        return 0;
    }
}
