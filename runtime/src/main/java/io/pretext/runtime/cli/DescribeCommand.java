package io.pretext.runtime.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.pretext.api.DataSource;
import io.pretext.api.EncoderModel;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ShapePass;
import io.pretext.runtime.recipe.ComponentChoice;
import io.pretext.runtime.recipe.Recipe;
import io.pretext.runtime.recipe.RecipeResolver;
import io.pretext.runtime.recipe.ResolvedRecipe;
import io.pretext.runtime.registry.PluginRegistry;
import io.pretext.runtime.train.TaskAssembly;
import io.pretext.runtime.wiring.LaunchSettings;
import io.pretext.runtime.wiring.RuntimeModule;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pretext describe RECIPE}: the resolved recipe with defaults, providers, and, where the data
 * can be read, the encoder's and the task objective's shapes, parameter counts and forward FLOPs,
 * from a shape-only pass of their code (no backend needed).
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Validate a recipe and print it resolved: every option with its default, the providers chosen, the encoder's and "
                + "the task's shapes, parameter counts and forward FLOPs.")
public final class DescribeCommand implements Callable<Integer> {

    @Mixin
    PluginFolders plugins;

    @Mixin
    RecipeArguments recipeArguments;

    @Option(names = "--no-data", description = "Do not open the data source (skips the encoder's and the task's shapes, parameter counts and FLOPs).")
    boolean noData;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!java.nio.file.Files.exists(recipeArguments.recipe) && recipeArguments.recipe.getNameCount() == 1) {
            String name = recipeArguments.recipe.toString();
            PluginRegistry registry = Guice.createInjector(new RuntimeModule(new LaunchSettings(plugins.all(), Optional.empty(), List.of())))
                    .getInstance(PluginRegistry.class);
            if (registry.entries().stream().anyMatch(e -> e.id().equals(name))) {
                throw new io.pretext.api.error.PretextException("'" + name + "' is a provider id, not a recipe file; "
                        + "its options: pretext plugins " + name);
            }
        }
        Injector injector = Guice.createInjector(new RuntimeModule(new LaunchSettings(plugins.all(), Optional.of(recipeArguments.recipe),
                recipeArguments.overrides())));
        PluginRegistry registry = injector.getInstance(PluginRegistry.class);
        Recipe recipe = injector.getInstance(Recipe.class);
        // Lenient about the backend: describing a recipe must work before its backend is installed.
        ResolvedRecipe resolved = new RecipeResolver(registry).resolve(recipe, true);
        out.println("# recipe " + recipe.source().map(Object::toString).orElse("(inline)") + ", resolved (defaults filled in)");
        out.print(Recipe.toYaml(resolved.toTree()));
        out.println();
        out.println("# providers");
        for (ComponentChoice c : List.of(resolved.data(), resolved.task(), resolved.encoder(), resolved.loss(), resolved.backend())) {
            out.println("#   " + c.section() + ": " + c.provider().map(e -> c.id() + " " + e.provider().version() + " from "
                    + e.origin().jarName()).orElse(c.id() + ": NOT PRESENT"));
        }
        for (String note : resolved.notes()) {
            out.println("# note: " + note);
        }
        if (!noData) {
            describeModel(out, resolved, registry);
        }
        return 0;
    }

    private static void describeModel(PrintWriter out, ResolvedRecipe r, PluginRegistry registry) {
        DataSource source = (DataSource) r.data().require().provider();
        DatasetInfo info;
        Dataset dataset = source.open(r.data().options(), r.baseDirectory());
        try {
            info = dataset.info();
            describeModel(out, r, info, dataset, registry);
        } finally {
            dataset.close();
        }
    }

    private static void describeModel(PrintWriter out, ResolvedRecipe r, DatasetInfo info, Dataset dataset, PluginRegistry registry) {
        out.println("# data: " + info.name() + ", " + info.modality().name().toLowerCase() + ", example shape " + info.exampleShape()
                + (info.size().isPresent() ? ", " + info.size().getAsLong() + " examples" : "")
                + (info.numClasses() > 0 ? ", " + info.numClasses() + " classes" : ", unlabeled"));
        EncoderModel encoder = TaskAssembly.encoder(r, info);
        // One example through the encoder's forward code on the shape-only ops: shapes and FLOPs, no backend.
        ShapePass.Result embedding = ShapePass.forward(encoder.parameters(),
                (ops, params, inputs) -> Map.of("embedding", encoder.forward(ops, params, inputs.get("input"), Mode.EVAL)),
                Map.of("input", ShapePass.Input.floats(encoder.inputShape().prepend(1))));
        out.println("# encoder: input " + encoder.inputShape() + " -> output " + embedding.outputs().get("embedding").dropFirst() + ", "
                + count(embedding.trainableParameters()) + " trainable parameters, " + count(embedding.flops())
                + " forward FLOPs per example");
        // Creating the loss and binding the task checks the value ranges their providers enforce (e.g. a rate in [0, 1]),
        // so describe fails where pretrain would, before any training.
        io.pretext.api.TaskModel model = TaskAssembly.bind(registry, r, info, dataset, encoder, Optional.empty());
        out.println("# task model (encoder + heads): " + count(ShapePass.trainable(model.parameters())) + " trainable parameters");
        List<Example> examples = new ArrayList<>();
        for (Iterator<Example> it = dataset.iterator(); it.hasNext() && examples.size() < r.training().batchSize(); ) {
            examples.add(it.next());
        }
        if (examples.isEmpty()) {
            return;
        }
        Batch batch = model.prepare(examples, new SplittableRandom(r.seed()));
        ShapePass.Result step = ShapePass.objective(model.parameters(), model.objective(), ShapePass.signature(batch), Mode.TRAIN);
        StringBuilder outputs = new StringBuilder();
        step.outputs().forEach((name, shape) -> outputs.append(outputs.length() == 0 ? "" : ", ").append(name).append(' ').append(shape));
        out.println("# task objective on a batch of " + examples.size() + (examples.size() < r.training().batchSize()
                ? " (all the data; batch-size is " + r.training().batchSize() + ")" : "") + ": " + outputs + "; "
                + count(step.flops()) + " forward FLOPs per batch (training mode)");
    }

    private static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
