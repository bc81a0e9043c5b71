package io.pretext.runtime.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.util.Modules;
import io.pretext.api.error.PretextException;
import io.pretext.runtime.recipe.Recipe;
import io.pretext.runtime.wiring.LaunchSettings;
import io.pretext.runtime.wiring.RuntimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

/**
 * {@code pretext demo}: the embedded default. SCARF on the letter-recognition table shipped in
 * {@code data/tabular/}, then the evaluation table (raw / random / SCARF at 100% and 10% labels).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Pretrain SCARF on the shipped letter-recognition table (20,000 rows) and print the evaluation table.")
public final class DemoCommand implements Callable<Integer> {

    static final String RECIPE = "/io/pretext/runtime/demo/scarf-letter.yaml";

    @Mixin
    PluginFolders plugins;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override a key of the demo recipe, e.g. --set training.epochs=5.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--backend", paramLabel = "ID", description = "Shortcut for --set backend.id=ID.")
    String backend;

    @Option(names = "--show-recipe", description = "Print the demo recipe and exit.")
    boolean showRecipe;

    @Spec
    CommandSpec spec;

    /** Folder the shipped data resolves against: the launcher's home, else the working directory. */
    static Path home() {
        String home = System.getProperty("pretext.home");
        return home == null ? Path.of("").toAbsolutePath() : Path.of(home).toAbsolutePath();
    }

    static String recipeText() {
        try (InputStream in = DemoCommand.class.getResourceAsStream(RECIPE)) {
            if (in == null) {
                throw new PretextException("the demo recipe " + RECIPE + " is missing from the runtime jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PretextException("cannot read the demo recipe: " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() {
        String text = recipeText();
        if (showRecipe) {
            spec.commandLine().getOut().print(text);
            return 0;
        }
        Path data = home().resolve("data/tabular/letter-recognition.csv");
        if (!Files.isRegularFile(data)) {
            throw new PretextException("the demo data " + data + " is missing; run the demo from the project folder (or via ./pretext)");
        }
        List<String> all = new ArrayList<>(overrides);
        if (backend != null) {
            all.add("backend.id=" + backend);
        }
        if (all.stream().noneMatch(o -> o.startsWith("output="))) {
            all.add("output=" + Path.of("").toAbsolutePath().resolve("runs/demo-scarf-letter"));
        }
        // The recipe's data path is relative; anchor it at the project home as if the recipe file lived there.
        Recipe recipe = Recipe.parse(text, "demo recipe", Optional.of(home().resolve("demo.yaml"))).withOverrides(all);
        LaunchSettings settings = new LaunchSettings(plugins.all(), Optional.empty(), List.of());
        Injector injector = Guice.createInjector(Modules.override(new RuntimeModule(settings)).with(new AbstractModule() {
            @Override
            protected void configure() {
                bind(Recipe.class).toInstance(recipe);
            }
        }));
        spec.commandLine().getOut().println("Pretext demo: SCARF (feature corruption + InfoNCE) on UCI letter recognition, "
                + "then linear probe and k-NN with 100% and 10% of the labels.");
        return PretrainCommand.run(injector, spec.commandLine().getOut(), spec.commandLine().getErr(), true);
    }
}
