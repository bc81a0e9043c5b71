package io.pretext.hygiene;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The files of the repository this test runs in, as the source checks read them: everything under
 * the root except build output, version control and the folders {@code .gitignore} keeps out
 * (runs, IDE settings).
 */
public final class RepositoryFiles {

    /** Folder names never scanned, wherever they are: build output, version control, IDE settings, run output. */
    private static final Set<String> SKIPPED_FOLDERS = Set.of("target", ".git", ".idea", ".vscode", "runs", "out");

    private RepositoryFiles() {
    }

    /** @return the repository root: the distribution module's parent, where the reactor pom lives */
    public static Path root() {
        // Surefire runs in the module's folder; the runtime's tests that read the examples rely on it too.
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("distribution")),
                "tests must run in the distribution module's folder; " + root + " is not the repository root");
        return root;
    }

    /** @return every file of the repository, sorted, build output and version control left out */
    static List<Path> all() {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return SKIPPED_FOLDERS.contains(String.valueOf(dir.getFileName())) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Collections.sort(files);
        return files;
    }

    /**
     * @param module a module folder relative to the root, e.g. {@code api} or {@code plugins/core}
     * @return the module's main Java sources, sorted
     */
    static List<Path> mainSources(String module) {
        Path dir = root().resolve(module).resolve("src/main/java");
        assertTrue(Files.isDirectory(dir), "no main sources in " + dir);
        return all().stream().filter(f -> f.startsWith(dir) && f.toString().endsWith(".java")).toList();
    }

    /**
     * @param file a file of the repository
     * @return its path relative to the root, with forward slashes, for messages
     */
    static String name(Path file) {
        return root().relativize(file).toString().replace('\\', '/');
    }

    /**
     * @param file a file of the repository
     * @return its text, UTF-8
     */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * @param text a file's text
     * @param offset a character offset in it
     * @return the 1-based line the offset is on
     */
    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
