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
 * {@code data/tabular/}, then the evaluation table (raw / random / SCARF at 100% and 10% labels);
 * with {@code --modality vision}, SimCLR on the 8x8 digits shipped in {@code data/vision/}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Pretrain SCARF on the shipped letter-recognition table (20,000 rows), or with --modality vision SimCLR on the "
                + "8x8 digits (1,797 images), and print the evaluation table.")
public final class DemoCommand implements Callable<Integer> {

    static final String RECIPE = "/io/pretext/runtime/demo/scarf-letter.yaml";

    /** The demos: recipe resource, shipped data file, output folder and the line that introduces it. */
    enum Demo {
        TABLE(RECIPE, "data/tabular/letter-recognition.csv", "runs/demo-scarf-letter",
                "Pretext demo: SCARF (feature corruption + InfoNCE) on UCI letter recognition, "
                        + "then linear probe and k-NN with 100% and 10% of the labels."),
        VISION("/io/pretext/runtime/demo/simclr-digits.yaml", "data/vision/digits.csv.gz", "runs/demo-simclr-digits",
                "Pretext demo: SimCLR (two augmented views + NT-Xent, CNN encoder) on the 8x8 handwritten digits, "
                        + "then linear probe and k-NN with 100%, 10% and 2% of the labels.");

        final String recipe;
        final String data;
        final String output;
        final String intro;

        Demo(String recipe, String data, String output, String intro) {
            this.recipe = recipe;
            this.data = data;
            this.output = output;
            this.intro = intro;
        }
    }

    @Option(names = "--modality", paramLabel = "table|vision", description = "Which demo: table (SCARF on letter recognition, the default) "
            + "or vision (SimCLR on the 8x8 digits).", converter = ModalityConverter.class)
    Demo modality = Demo.TABLE;

    /** Reads {@code table} or {@code vision}. */
    static final class ModalityConverter implements picocli.CommandLine.ITypeConverter<Demo> {
        @Override
        public Demo convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "table" -> Demo.TABLE;
                case "vision" -> Demo.VISION;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a demo; choose table or vision");
            };
        }
    }

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
        return recipeText(RECIPE);
    }

    static String recipeText(String resource) {
        try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new PretextException("the demo recipe " + resource + " is missing from the runtime jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PretextException("cannot read the demo recipe: " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() {
        String text = recipeText(modality.recipe);
        if (showRecipe) {
            List<String> shown = new ArrayList<>(overrides);
            if (backend != null) {
                shown.add("backend.id=" + backend);
            }
            // as shipped, with its comments; with overrides, the recipe they make (comments cannot survive the merge)
            spec.commandLine().getOut().print(shown.isEmpty() ? text
                    : Recipe.toYaml(Recipe.parse(text, "demo recipe", Optional.empty()).withOverrides(shown).tree()));
            return 0;
        }
        Path data = home().resolve(modality.data);
        if (!Files.isRegularFile(data)) {
            throw new PretextException("the demo data " + data + " is missing; run the demo from the project folder (or via ./pretext)");
        }
        List<String> all = new ArrayList<>(overrides);
        if (backend != null) {
            all.add("backend.id=" + backend);
        }
        if (all.stream().noneMatch(o -> o.startsWith("output="))) {
            all.add("output=" + Path.of("").toAbsolutePath().resolve(modality.output));
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
        spec.commandLine().getOut().println(modality.intro);
        return PretrainCommand.run(injector, spec.commandLine().getOut(), spec.commandLine().getErr(), true);
    }
}
