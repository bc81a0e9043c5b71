package io.pretext.runtime.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --plugins DIR} option every command shares, plus the launcher's PRETEXT_PLUGINS folders. */
public final class PluginFolders {

    @Option(names = "--plugins", paramLabel = "DIR", description = "Load every jar in DIR as a plugin (repeatable).")
    List<Path> folders = new ArrayList<>();

    /** The folders from the option, then those in the PRETEXT_PLUGINS environment variable (path-separator list). */
    public List<Path> all() {
        List<Path> out = new ArrayList<>(folders);
        String env = System.getenv("PRETEXT_PLUGINS");
        if (env != null && !env.isBlank()) {
            for (String p : env.split(File.pathSeparator)) {
                if (!p.isBlank()) {
                    Path path = Path.of(p.trim());
                    if (!out.contains(path)) {
                        out.add(path);
                    }
                }
            }
        }
        return out;
    }
}
