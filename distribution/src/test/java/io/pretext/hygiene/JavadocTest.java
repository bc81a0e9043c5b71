package io.pretext.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;


import com.sun.source.doctree.DocCommentTree;
import com.sun.source.doctree.ParamTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Javadoc standard of what plugin authors build on: every public type and member of the api
 * and the testkit is documented, with a {@code @param} for every parameter and record component and a
 * {@code @return} for every result: javac's doclint group {@code missing}, which the build's
 * {@code -Xdoclint:all,-missing} leaves out because javac 17 misreports records in it. And no
 * comment anywhere puts a second block tag on the line of another.
 */
class JavadocTest {

    /**
     * The modules whose public types a plugin author builds on, each with the packages left out of
     * the check for now. The api's op layer and options are being rewritten: keep their exclusion in
     * step with {@code -Xdoclint/package} in api/pom.xml, and drop both together.
     */
    static final Map<String, List<String>> DOCUMENTED_MODULES = Map.of(
            "api", List.of("io.pretext.api.tensor", "io.pretext.api.option"),
            "testkit", List.of(),
            "layers", List.of());

    /**
     * A comment line that starts with a block tag and has another one after it: javadoc reads the
     * second as text of the first ({@code @param a left @param b right} documents only a).
     */
    private static final Pattern SECOND_BLOCK_TAG =
            Pattern.compile("^\\s*(?:/\\*\\*|\\*)?\\s*@(?:param|return|throws|exception)\\b.*\\s@(param|return|throws|exception)\\b");
    /** An inline tag such as <code>{&#64;code @param}</code>, which is text, not a block tag. */
    private static final Pattern INLINE_TAG = Pattern.compile("\\{@[^}]*}");
    /** A constructor name followed by its body with no parameter list. */
    private static final Pattern COMPACT_CONSTRUCTOR = Pattern.compile("\\w+\\s*\\{");

    @TempDir
    Path classes;

    static Stream<String> documentedModules() {
        return DOCUMENTED_MODULES.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("documentedModules")
    void everyPublicTypeAndMemberIsDocumented(String module) throws IOException {
        List<String> problems = doclintMissing(RepositoryFiles.mainSources(module), DOCUMENTED_MODULES.get(module));
        assertTrue(problems.isEmpty(), problems.size() + " Javadoc problems in " + module + ":\n" + String.join("\n", problems));
    }

    /**
     * The check must see what it is for (a tag swallowed by the one before it, a record component
     * without its {@code @param}), or an empty report proves nothing; and it must not report the
     * javac 17 false alarms it filters out.
     */
    @Test
    void theDoclintCheckReportsWhatItIsFor() throws IOException {
        Path sources = classes.resolve("src/example");
        Files.createDirectories(sources);
        Files.writeString(sources.resolve("Undocumented.java"), """
                package example;
                /** Adds. */
                public final class Undocumented {
                    private Undocumented() {
                    }
                    /** @param a left @param b right @return a + b */
                    public static int add(int a, int b) {
                        return a + b;
                    }
                }
                """);
        Files.writeString(sources.resolve("Pair.java"), """
                package example;
                /**
                 * Two numbers.
                 *
                 * @param x the first
                 */
                public record Pair(int x, int y) {
                    /** Checks them. */
                    public Pair {
                    }
                }
                """);
        List<String> problems = doclintMissing(List.of(sources.resolve("Undocumented.java"), sources.resolve("Pair.java")), List.of());
        assertEquals(List.of("Pair.java:7: no @param for y", "Undocumented.java:7: no @param for b", "Undocumented.java:7: no @return"),
                problems.stream().map(p -> p.substring(p.lastIndexOf('/') + 1)).sorted().toList());
    }

    @Test
    void noCommentLinePutsTwoBlockTagsTogether() {
        List<String> problems = new ArrayList<>();
        for (Path file : RepositoryFiles.all()) {
            if (!file.toString().endsWith(".java") || notYetChecked(RepositoryFiles.name(file))) {
                continue;
            }
            for (Comments.Comment comment : Comments.java(RepositoryFiles.read(file))) {
                String[] lines = comment.text().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    Matcher second = SECOND_BLOCK_TAG.matcher(INLINE_TAG.matcher(lines[i]).replaceAll(""));
                    if (second.find()) {
                        problems.add(RepositoryFiles.name(file) + ":" + (comment.line() + i) + ": @" + second.group(1)
                                + " shares a line with an earlier block tag; start each block tag on its own line");
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theBlockTagCheckTellsTagsFromTextAboutTags() {
        assertTrue(secondBlockTag("    /** @param a left @param b right */"));
        assertTrue(secondBlockTag("     * @return the sum @throws IllegalStateException never"));
        assertFalse(secondBlockTag("     * @param a left, which {@code @param b} does not document"));
        assertFalse(secondBlockTag("     * a tag such as @param is text here, as is @return"));
    }

    private static boolean secondBlockTag(String commentLine) {
        return SECOND_BLOCK_TAG.matcher(INLINE_TAG.matcher(commentLine).replaceAll("")).find();
    }

    private static boolean notYetChecked(String file) {
        return DOCUMENTED_MODULES.get("api").stream()
                .anyMatch(p -> file.startsWith("api/src/main/java/" + p.replace('.', '/') + "/"));
    }

    /**
     * Runs javac's doclint with every group on for public and protected elements, over the sources,
     * and checks what javac 17's doclint does not: that a public record's comment has a
     * {@code @param} for each component.
     *
     * @return the reports as {@code file:line: message}
     */
    private List<String> doclintMissing(List<Path> sources, List<String> excludedPackages) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK, not a JRE");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = new ArrayList<>(List.of("-proc:none", "-d", classes.toString(), "-Xdoclint:all/protected",
                "-Xmaxwarns", "100000", "-classpath", System.getProperty("java.class.path")));
        if (!excludedPackages.isEmpty()) {
            options.add("-Xdoclint/package:" + String.join(",", excludedPackages.stream().map(p -> "-" + p).toList()));
        }
        List<String> problems = new ArrayList<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources));
            Iterable<? extends CompilationUnitTree> units = task.parse();
            task.analyze();
            DocTrees trees = DocTrees.instance(task);
            for (CompilationUnitTree unit : units) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitClass(ClassTree type, Void unused) {
                        TypeElement element = (TypeElement) trees.getElement(getCurrentPath());
                        if (element.getKind() == ElementKind.RECORD && visible(element)
                                && !excludedPackages.contains(task.getElements().getPackageOf(element).getQualifiedName().toString())) {
                            DocCommentTree doc = trees.getDocCommentTree(getCurrentPath());
                            Set<String> documented = doc == null ? Set.of() : doc.getBlockTags().stream()
                                    .filter(ParamTree.class::isInstance).map(t -> ((ParamTree) t).getName().getName().toString())
                                    .collect(Collectors.toSet());
                            long line = unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, type));
                            for (RecordComponentElement component : element.getRecordComponents()) {
                                if (!documented.contains(component.getSimpleName().toString())) {
                                    problems.add(RepositoryFiles.name(Path.of(unit.getSourceFile().toUri())) + ":" + line
                                            + ": no @param for " + component.getSimpleName());
                                }
                            }
                        }
                        return super.visitClass(type, unused);
                    }
                }.scan(unit, null);
            }
        }
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.NOTE || d.getSource() == null || atCompactConstructor(d)) {
                continue;
            }
            problems.add(RepositoryFiles.name(Path.of(d.getSource().toUri())) + ":" + d.getLineNumber() + ": "
                    + d.getMessage(Locale.ROOT));
        }
        return problems;
    }

    private static boolean visible(Element element) {
        for (Element e = element; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (!e.getModifiers().contains(Modifier.PUBLIC) && !e.getModifiers().contains(Modifier.PROTECTED)) {
                return false;
            }
        }
        return true;
    }

    /**
     * javac 17's doclint wants a documented compact constructor to repeat the record's
     * {@code @param}s (javac 18 and later do not); the record's own comment is checked above.
     */
    private static boolean atCompactConstructor(Diagnostic<? extends JavaFileObject> d) {
        if (!d.getMessage(Locale.ROOT).startsWith("no @param for ")) {
            return false;
        }
        String text;
        try {
            text = d.getSource().getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int at = (int) d.getPosition();
        return at >= 0 && COMPACT_CONSTRUCTOR.matcher(text).region(at, text.length()).lookingAt();
    }
}
