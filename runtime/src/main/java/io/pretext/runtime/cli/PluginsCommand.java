package io.pretext.runtime.cli;

import com.google.inject.Guice;
import io.pretext.api.Backend;
import io.pretext.api.Spi;
import io.pretext.runtime.registry.LoadProblem;
import io.pretext.runtime.registry.PluginRegistry;
import io.pretext.runtime.registry.ProviderEntry;
import io.pretext.runtime.wiring.LaunchSettings;
import io.pretext.runtime.wiring.RuntimeModule;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pretext plugins}: every provider per SPI with version, description and jar, then load problems. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the providers on the classpath and in plugin folders, by SPI, with versions and jars.")
public final class PluginsCommand implements Callable<Integer> {

    @Mixin
    PluginFolders plugins;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PluginRegistry registry = Guice.createInjector(new RuntimeModule(new LaunchSettings(plugins.all(), Optional.empty(), List.of())))
                .getInstance(PluginRegistry.class);
        for (Spi spi : Spi.values()) {
            List<ProviderEntry> entries = registry.entries(spi);
            out.println(Tables.title(plural(spi.displayName())) + " (" + entries.size() + ")");
            if (entries.isEmpty()) {
                out.println("  (none)");
            }
            List<List<String>> rows = entries.stream().map(e -> List.of(e.id(), e.provider().version(), extra(e),
                    e.provider().description(), e.origin().jarName())).toList();
            Tables.print(out, List.of("id", "version", spi == Spi.BACKEND ? "capabilities" : "", "description", "jar"), rows);
            out.println();
        }
        if (!registry.problems().isEmpty()) {
            out.println("Providers that failed to load (" + registry.problems().size() + "):");
            for (LoadProblem p : registry.problems()) {
                out.println("  " + p.describe());
            }
        }
        return 0;
    }

    private static String plural(String noun) {
        return noun.endsWith("s") ? noun + "es" : noun + "s";
    }

    private static String extra(ProviderEntry e) {
        if (e.provider() instanceof Backend b) {
            return b.capabilities().stream().map(c -> c.name().toLowerCase()).sorted().collect(Collectors.joining(","));
        }
        return "";
    }
}
