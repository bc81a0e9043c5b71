package io.pretext.runtime.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A recipe file plus command-line overrides, shared by the commands that run recipes. */
public final class RecipeArguments {

    @Parameters(index = "0", paramLabel = "RECIPE", description = "The recipe (YAML).")
    Path recipe;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Override a recipe key, e.g. --set training.epochs=5 --set encoder.widths=[128,128] (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--backend", paramLabel = "ID", description = "Shortcut for --set backend.id=ID.")
    String backend;

    /** All overrides, the --backend shortcut last. */
    public List<String> overrides() {
        List<String> all = new ArrayList<>(overrides);
        if (backend != null) {
            all.add("backend.id=" + backend);
        }
        return all;
    }
}
