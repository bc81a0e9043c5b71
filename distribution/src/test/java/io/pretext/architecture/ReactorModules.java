package io.pretext.architecture;

import io.pretext.hygiene.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The modules of the Maven reactor, read from the poms, with the root package of each module's
 * main code: what the architecture rules must see classes of.
 */
final class ReactorModules {

    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");

    /**
     * A module with main code.
     *
     * @param folder its folder relative to the repository root, e.g. {@code plugins/core}
     * @param rootPackage the longest package every main class is in, e.g. {@code io.pretext.core}
     */
    record Module(String folder, String rootPackage) {
    }

    private ReactorModules() {
    }

    /** @return every module of the reactor (nested aggregators followed) that has main Java code, in pom order */
    static List<Module> withMainCode() {
        List<Module> out = new ArrayList<>();
        collect(RepositoryFiles.root(), "", out);
        return out;
    }

    private static void collect(Path root, String folder, List<Module> out) {
        Path dir = root.resolve(folder);
        String pom = read(dir.resolve("pom.xml"));
        Matcher m = MODULE.matcher(pom);
        while (m.find()) {
            String child = folder.isEmpty() ? m.group(1) : folder + "/" + m.group(1);
            collect(root, child, out);
        }
        Path sources = dir.resolve("src/main/java");
        if (!folder.isEmpty() && Files.isDirectory(sources)) {
            rootPackage(sources).ifPresent(p -> out.add(new Module(folder, p)));
        }
    }

    private static Optional<String> rootPackage(Path sources) {
        List<String[]> packages;
        try (Stream<Path> files = Files.walk(sources)) {
            packages = files.filter(f -> f.toString().endsWith(".java"))
                    .map(f -> sources.relativize(f.getParent()).toString().replace('\\', '/').split("/"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (packages.isEmpty()) {
            return Optional.empty();
        }
        String[] common = packages.get(0);
        int length = common.length;
        for (String[] p : packages) {
            int i = 0;
            while (i < length && i < p.length && p[i].equals(common[i])) {
                i++;
            }
            length = i;
        }
        return Optional.of(String.join(".", List.of(common).subList(0, length)));
    }

    private static String read(Path pom) {
        try {
            // Comments may name modules that are not built; only the uncommented text counts.
            return Files.readString(pom).replaceAll("(?s)<!--.*?-->", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pom, e);
        }
    }
}
