package io.pretext.runtime.cli;

import io.pretext.api.PretextApi;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pretext} launcher: top-level command and version. */
@Command(name = "pretext", mixinStandardHelpOptions = true, versionProvider = PretextCommand.Version.class,
        description = "Self-supervised pretraining for the JVM, from plugins.",
        subcommands = {DemoCommand.class, PluginsCommand.class, DescribeCommand.class, PretrainCommand.class, EvaluateCommand.class,
            EmbedCommand.class, ExportCommand.class,
            CommandLine.HelpCommand.class})
public final class PretextCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the runtime jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Pretext " + version() + " (plugin API version " + PretextApi.VERSION + ")",
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }

    static String version() {
        String v = PretextCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
