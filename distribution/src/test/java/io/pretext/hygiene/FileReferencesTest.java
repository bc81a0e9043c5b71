package io.pretext.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No comment or document points at a file the repository does not hold: a reader must find what a
 * comment points at in the checkout. Read are the comments of Java sources (main and test), of
 * YAML, shell, Python and service files, the comments and descriptions of poms, and the whole text
 * of Markdown and text files. Checked are the references that point at a file to read:
 * <ul>
 *   <li>every relative path that climbs out of the file's folder (two dots and a slash) must
 *       resolve, from that folder, to a file or folder inside the repository;</li>
 *   <li>every name of a document or script ({@code .md}, {@code .py}, {@code .sh}), alone or with
 *       folders, must be a file of the repository: with folders, from the file's folder or the
 *       root; alone, anywhere in the repository.</li>
 * </ul>
 * Paths that {@code .gitignore} keeps out of version control (runs, build output, downloaded
 * data) belong to the repository's own layout and count as present, as do the report files
 * Pretext writes ({@code evaluation.md}).
 */
class FileReferencesTest {

    /** A relative path that climbs out of the file's folder. */
    private static final Pattern CLIMBING_PATH = Pattern.compile("(?<![\\w./-])((?:\\.\\./)+[\\w./*-]*)");
    /** The name of a document or script, with or without folders. */
    private static final Pattern DOCUMENT = Pattern.compile("(?<![\\w./-])((?:[\\w.-]+/)*[\\w-][\\w.-]*\\.(?:md|py|sh))(?![\\w-])");
    private static final Pattern URL = Pattern.compile("\\b[a-z]+://\\S+");
    /** Report files Pretext writes into a run folder; a comment may name them. */
    private static final Pattern WRITTEN_BY_PRETEXT = Pattern.compile("(evaluation|NAME)(-[\\w.-]+)?\\.md");

    @Test
    void everyReferencedFileIsInTheRepository() {
        Path root = RepositoryFiles.root();
        List<Path> files = RepositoryFiles.all();
        Set<String> names = files.stream().map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        List<PathMatcher> ignored = ignoredPaths(root);
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            for (Comments.Comment comment : comments(file)) {
                problems.addAll(check(root, file, comment, names, ignored));
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " references to files the repository does not hold:\n"
                + String.join("\n", problems));
    }

    /** The check must catch what it is for, or an empty report proves nothing. */
    @Test
    void theCheckCatchesPointersOutOfTheRepository() {
        Path root = RepositoryFiles.root();
        Path file = root.resolve("docs/architecture.md");
        Set<String> names = Set.of("architecture.md", "results.md");
        List<PathMatcher> ignored = ignoredPaths(root);
        String text = String.join("\n", "See the design page DESIGN.md and the notes in ../../notes/x.md,",
                "the script ../shared/anchors/run_it.py, the table in results.md, this page's own folder ../docs,",
                "the report evaluation.md and a run's runs/demo/evaluation.md.");
        List<String> problems = check(root, file, new Comments.Comment(7, text), names, ignored);
        assertEquals(List.of("docs/architecture.md:7: ../../notes/x.md", "docs/architecture.md:7: DESIGN.md",
                "docs/architecture.md:8: ../shared/anchors/run_it.py"),
                problems.stream().map(p -> p.substring(0, p.indexOf(" ("))).sorted().toList());
    }

    private static List<String> check(Path root, Path file, Comments.Comment comment, Set<String> names, List<PathMatcher> ignored) {
        List<String> problems = new ArrayList<>();
        String[] lines = comment.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = URL.matcher(lines[i]).replaceAll(" ");
            String where = RepositoryFiles.name(file) + ":" + (comment.line() + i) + ": ";
            Matcher climbing = CLIMBING_PATH.matcher(line);
            while (climbing.find()) {
                String reference = trim(climbing.group(1));
                Path target = file.getParent().resolve(reference).normalize();
                if (!target.startsWith(root) || !present(root, target, ignored)) {
                    problems.add(where + reference + " (leaves the repository or is not in it)");
                }
            }
            Matcher document = DOCUMENT.matcher(line);
            while (document.find()) {
                String reference = trim(document.group(1));
                if (reference.startsWith("../") || WRITTEN_BY_PRETEXT.matcher(Path.of(reference).getFileName().toString()).matches()) {
                    continue;
                }
                boolean found = reference.contains("/")
                        ? present(root, file.getParent().resolve(reference).normalize(), ignored)
                            || present(root, root.resolve(reference).normalize(), ignored)
                        : names.contains(reference);
                if (!found) {
                    problems.add(where + reference + " (no such file in the repository)");
                }
            }
        }
        return problems;
    }

    private static String trim(String reference) {
        return reference.replaceAll("[.]+$", "");
    }

    private static boolean present(Path root, Path target, List<PathMatcher> ignored) {
        if (!target.startsWith(root)) {
            return false;
        }
        if (Files.exists(target)) {
            return true;
        }
        Path relative = root.relativize(target);
        for (int n = 1; n <= relative.getNameCount(); n++) {
            Path prefix = relative.subpath(0, n);
            if (ignored.stream().anyMatch(m -> m.matches(prefix))) {
                return true;
            }
        }
        return false;
    }

    /** The patterns of the root {@code .gitignore}, as matchers of paths relative to the root. */
    private static List<PathMatcher> ignoredPaths(Path root) {
        List<PathMatcher> out = new ArrayList<>();
        for (String line : RepositoryFiles.read(root.resolve(".gitignore")).split("\n")) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#") || pattern.startsWith("!")) {
                continue;
            }
            pattern = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
            boolean anchored = pattern.contains("/");
            pattern = pattern.startsWith("/") ? pattern.substring(1) : pattern;
            out.add(FileSystems.getDefault().getPathMatcher("glob:" + (anchored ? pattern : "{" + pattern + ",**/" + pattern + "}")));
        }
        return out;
    }

    private static List<Comments.Comment> comments(Path file) {
        String name = file.getFileName().toString();
        String path = RepositoryFiles.name(file);
        if (name.endsWith(".java")) {
            return Comments.java(RepositoryFiles.read(file));
        }
        if (name.endsWith(".md") || name.endsWith(".txt")) {
            return List.of(new Comments.Comment(1, RepositoryFiles.read(file)));
        }
        if (name.endsWith(".xml")) {
            return Comments.xml(RepositoryFiles.read(file));
        }
        if (name.endsWith(".py")) {
            return Comments.python(RepositoryFiles.read(file));
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".sh") || name.endsWith(".properties")
                || name.equals(".gitignore") || path.contains("/META-INF/services/") || shellScript(file)) {
            return Comments.hash(RepositoryFiles.read(file));
        }
        return List.of();
    }

    private static boolean shellScript(Path file) {
        if (file.getFileName().toString().contains(".")) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(2);
            return start.length == 2 && start[0] == '#' && start[1] == '!';
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
