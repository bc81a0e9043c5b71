package io.pretext.tabular.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.DataFormatException;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.tensor.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The csv source on the shipped tables as they are, and on small files that pin down each rule. */
class CsvDataSourceTest {
    static final Path DATA = Path.of("..", "data", "tabular");

    private final CsvDataSource source = new CsvDataSource();

    @TempDir
    Path dir;

    private Dataset open(String file, Map<String, ?> options) {
        return source.open(DATA.resolve(file), options);
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static long kinds(TableSchema schema, ColumnSpec.Kind kind) {
        return schema.columns().stream().filter(c -> c.kind() == kind).count();
    }

    // ---- the shipped tables -----------------------------------------------------------------

    @Test
    void readsScikitLearnCountLineFilesWithTheirClassNames() {
        record Expect(String file, int rows, int width, List<String> classes) {
        }
        for (Expect e : List.of(
                new Expect("breast_cancer.csv", 569, 30, List.of("malignant", "benign")),
                new Expect("wine_data.csv", 178, 13, List.of("class_0", "class_1", "class_2")),
                new Expect("iris.csv", 150, 4, List.of("setosa", "versicolor", "virginica")))) {
            try (Dataset d = open(e.file(), Map.of())) {
                DatasetInfo info = d.info();
                assertEquals(e.rows(), info.size().getAsLong(), e.file());
                assertEquals(Shape.of(e.width()), info.exampleShape(), e.file());
                assertEquals(e.classes(), info.classNames(), e.file());
                assertEquals(e.width(), kinds(info.schema().orElseThrow(), ColumnSpec.Kind.NUMERIC), e.file() + ": all numeric");
                assertEquals("c1", info.schema().orElseThrow().columns().get(0).name());
                List<Example> rows = d.load();
                assertEquals(e.rows(), rows.size(), e.file());
                assertTrue(rows.stream().allMatch(r -> r.label() >= 0 && r.label() < e.classes().size()));
            }
        }
    }

    @Test
    void irisFirstRowsParseExactly() {
        try (Dataset d = open("iris.csv", Map.of())) {
            Example.TableRow first = (Example.TableRow) d.iterator().next();
            assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, first.values());
            assertEquals(0, first.label());
        }
    }

    @Test
    void readsLetterWithLabelFirstAsClassesAToZ() {
        try (Dataset d = open("letter-recognition.csv", Map.of("label", "first"))) {
            DatasetInfo info = d.info();
            assertEquals(20_000, info.size().getAsLong());
            assertEquals(16, info.schema().orElseThrow().width());
            assertEquals(16, kinds(info.schema().orElseThrow(), ColumnSpec.Kind.NUMERIC));
            assertEquals(26, info.numClasses());
            assertEquals("A", info.classNames().get(0));
            assertEquals("Z", info.classNames().get(25));
            Example.TableRow first = (Example.TableRow) d.iterator().next(); // T,2,8,3,5,1,8,13,0,6,6,10,8,0,8,0,8
            assertEquals('T' - 'A', first.label());
            assertArrayEquals(new float[] {2, 8, 3, 5, 1, 8, 13, 0, 6, 6, 10, 8, 0, 8, 0, 8}, first.values());
            assertEquals(20_000, d.load().size());
        }
    }

    @Test
    void letterWithoutLabelOptionIsSeventeenColumnsUnlabeled() {
        try (Dataset d = open("letter-recognition.csv", Map.of())) {
            assertEquals(0, d.info().numClasses());
            TableSchema schema = d.info().schema().orElseThrow();
            assertEquals(17, schema.width());
            assertEquals(ColumnSpec.Kind.CATEGORICAL, schema.columns().get(0).kind());
            assertEquals(26, schema.columns().get(0).categories().size());
            assertEquals(Example.NO_LABEL, d.iterator().next().label());
        }
    }

    @Test
    void readsAdultAsItIs() {
        try (Dataset d = open("adult.csv", Map.of("label", "income"))) {
            DatasetInfo info = d.info();
            TableSchema schema = info.schema().orElseThrow();
            assertEquals(32_561, info.size().getAsLong());
            assertEquals(14, schema.width());
            assertEquals(7, kinds(schema, ColumnSpec.Kind.NUMERIC));
            assertEquals(7, kinds(schema, ColumnSpec.Kind.CATEGORICAL));
            assertEquals(List.of("<=50K", ">50K"), info.classNames());
            ColumnSpec workclass = schema.columns().get(1);
            assertEquals("workclass", workclass.name());
            assertEquals(8, workclass.categories().size(), "'?' is missing, not a category");
            assertTrue(workclass.categories().contains("State-gov"), "leading spaces trimmed: " + workclass.categories());
            assertEquals(41, schema.columns().get(13).categories().size());
            long missingWorkclass = 0;
            long rich = 0;
            long rows = 0;
            for (Example e : d) {
                Example.TableRow r = (Example.TableRow) e;
                missingWorkclass += Float.isNaN(r.values()[1]) ? 1 : 0;
                rich += r.label();
                rows++;
            }
            assertEquals(32_561, rows);
            assertEquals(1836, missingWorkclass);
            assertEquals(7841, rich);
        }
    }

    @Test
    void adultWithoutLabelHasFifteenFeatures() {
        try (Dataset d = open("adult.csv", Map.of())) {
            assertEquals(15, d.info().schema().orElseThrow().width());
            assertEquals(0, d.info().numClasses());
        }
    }

    @Test
    void fingerprintIsTheSha256OfTheBytes() throws Exception {
        Path file = DATA.resolve("wine_data.csv");
        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        try (Dataset d = source.open(file, Map.of())) {
            assertEquals(expected, d.info().fingerprint());
            assertEquals(Modality.TABLE, d.info().modality());
        }
    }

    // ---- separators, quotes, missing values ----------------------------------------------

    @Test
    void semicolonQuotesSpacesAndMissingValues() throws IOException {
        Path f = write("q.csv", """
                name; size ;color;kind
                "Smith; John" ; 1.5 ; red;a
                  "O""Brien"; ? ;"blue";b
                Doe;NA; ;a
                Roe;  ;green;b
                """);
        try (Dataset d = source.open(f, Map.of("label", "kind"))) {
            TableSchema s = d.info().schema().orElseThrow();
            assertEquals(List.of("name", "size", "color"), s.columns().stream().map(ColumnSpec::name).toList());
            assertEquals(List.of("Doe", "O\"Brien", "Roe", "Smith; John"), s.columns().get(0).categories());
            assertEquals(ColumnSpec.Kind.NUMERIC, s.columns().get(1).kind());
            assertEquals(List.of("blue", "green", "red"), s.columns().get(2).categories());
            assertEquals(List.of("a", "b"), d.info().classNames());
            List<Example> rows = d.load();
            Example.TableRow r0 = (Example.TableRow) rows.get(0);
            assertArrayEquals(new float[] {3, 1.5f, 2}, r0.values());
            for (int i = 1; i < 4; i++) {
                assertTrue(Float.isNaN(((Example.TableRow) rows.get(i)).values()[1]), "row " + i + " size missing");
            }
            assertTrue(Float.isNaN(((Example.TableRow) rows.get(2)).values()[2]), "blank color is missing");
            assertEquals(List.of(0, 1, 0, 1), rows.stream().map(Example::label).toList());
        }
    }

    @Test
    void detectsTabsAndMissingHeader() throws IOException {
        Path f = write("t.tsv", "1\t2.5\tx\n3\t-4e2\ty\n5\t.5\tx\n");
        try (Dataset d = source.open(f, Map.of())) {
            TableSchema s = d.info().schema().orElseThrow();
            assertEquals(List.of("c1", "c2", "c3"), s.columns().stream().map(ColumnSpec::name).toList());
            assertEquals(3, d.info().size().getAsLong(), "first line is data, not a header");
            assertArrayEquals(new float[] {3, -400, 1}, ((Example.TableRow) d.load().get(1)).values());
        }
    }

    @Test
    void headerOptionOverridesDetection() throws IOException {
        Path f = write("h.csv", "a,b\nc,d\ne,f\n");
        try (Dataset d = source.open(f, Map.of("header", "false"))) {
            assertEquals(3, d.info().size().getAsLong());
        }
        try (Dataset d = source.open(f, Map.of("header", "true"))) {
            assertEquals(2, d.info().size().getAsLong());
            assertEquals("a", d.info().schema().orElseThrow().columns().get(0).name());
        }
    }

    @Test
    void columnKindsCanBeOverriddenAndColumnsDropped() throws IOException {
        Path f = write("k.csv", "id,zip,age,y\n1,10115,30,0\n2,80331,41,1\n3,10115,,0\n");
        try (Dataset d = source.open(f, Map.of("categorical", "zip", "drop", "1", "label", "y"))) {
            TableSchema s = d.info().schema().orElseThrow();
            assertEquals(List.of("zip", "age"), s.columns().stream().map(ColumnSpec::name).toList());
            assertEquals(List.of("10115", "80331"), s.columns().get(0).categories());
            assertEquals(List.of("0", "1"), d.info().classNames());
        }
        Path g = write("n.csv", "a,b\n1,x\n2,3\n");
        try (Dataset d = source.open(g, Map.of("numeric", "b", "on-bad-row", "skip"))) {
            assertEquals(1, d.info().size().getAsLong(), "the 'x' row is malformed once b is numeric");
        }
    }

    @Test
    void unknownColumnNamesTheChoicesAndSuggests() throws IOException {
        Path f = write("u.csv", "height,weight\n1,2\n3,4\n");
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> source.open(f, Map.of("label", "weigth")));
        assertEquals("data.label", e.key());
        assertTrue(e.getMessage().contains("height, weight") && e.getMessage().contains("did you mean 'weight'"), e.getMessage());
        assertThrows(InvalidOptionException.class, () -> source.open(f, Map.of("drop", "7")));
        assertThrows(InvalidOptionException.class, () -> source.open(f, Map.of("separator", "ab")));
    }

    // ---- malformed rows ---------------------------------------------------------------------

    @Test
    void malformedRowNamesFileLineAndColumn() throws IOException {
        Path f = write("bad.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> source.open(f, Map.of()));
        assertEquals(f.toAbsolutePath().normalize(), e.file());
        assertEquals(3, e.line());
        assertEquals("3 (c)", e.column());
        assertTrue(e.getMessage().contains("expected 3 fields, found 2"), e.getMessage());
    }

    @Test
    void nonNumberInForcedNumericColumnNamesTheColumn() throws IOException {
        Path f = write("nn.csv", "a;b\n1;2\n3;oops\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> source.open(f, Map.of("numeric", "b")));
        assertEquals(3, e.line());
        assertEquals("2 (b)", e.column());
        assertTrue(e.getMessage().contains("'oops' is not a number"), e.getMessage());
    }

    @Test
    void wrongSeparatorOnAdultPointsAtTheSeparator() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> open("adult.csv", Map.of("separator", ",")));
        assertTrue(e.getMessage().contains("single column") && e.getMessage().contains("separator"), e.getMessage());
        assertTrue(e.line() > 1);
    }

    @Test
    void unterminatedQuoteIsReportedWhereTheRecordStarts() throws IOException {
        Path f = write("uq.csv", "a,b\n1,2\n3,\"open\n4,5\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> source.open(f, Map.of()));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("unterminated"), e.getMessage());
    }

    @Test
    void skipModeCountsAndSkipsConsistently() throws IOException {
        Path f = write("skip.csv", "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n");
        try (Dataset d = source.open(f, Map.of("on-bad-row", "skip"))) {
            assertEquals(2, ((CsvDataset) d).skippedRows());
            assertEquals(2, d.info().size().getAsLong());
            List<Example> rows = d.load();
            assertEquals(2, rows.size());
            assertArrayEquals(new float[] {10, 11, 12}, ((Example.TableRow) rows.get(1)).values());
        }
    }

    @Test
    void fileChangedAfterOpeningIsAnError() throws IOException {
        Path f = write("c.csv", "a,b\n1,2\n3,4\n");
        try (Dataset d = source.open(f, Map.of())) {
            Files.writeString(f, "a,b\n1,2\n3,4\n5,6\n");
            Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));
            DataFormatException e = assertThrows(DataFormatException.class, d::iterator);
            assertTrue(e.getMessage().contains("changed"), e.getMessage());
        }
    }

    // ---- streaming and splits ---------------------------------------------------------------

    @Test
    void everyIterationRereadsTheFile() {
        try (Dataset d = open("wine_data.csv", Map.of())) {
            Iterator<Example> a = d.iterator();
            Iterator<Example> b = d.iterator();
            for (int i = 0; i < 178; i++) {
                assertArrayEquals(((Example.TableRow) a.next()).values(), ((Example.TableRow) b.next()).values());
            }
            assertFalse(a.hasNext());
        }
    }

    private static Map<String, Long> labelsOf(List<Example> rows, List<String> names) {
        return rows.stream().collect(Collectors.groupingBy(r -> names.get(r.label()), Collectors.counting()));
    }

    @Test
    void stratifiedSplitIsAPartitionWithClassProportions() {
        List<Example> all;
        List<String> names;
        try (Dataset d = open("letter-recognition.csv", Map.of("label", "first"))) {
            all = d.load();
            names = d.info().classNames();
        }
        try (Dataset train = open("letter-recognition.csv", Map.of("label", "first", "split", "train"));
             Dataset test = open("letter-recognition.csv", Map.of("label", "first", "split", "test"))) {
            List<Example> tr = train.load();
            List<Example> te = test.load();
            assertEquals(tr.size(), train.info().size().getAsLong());
            assertEquals(te.size(), test.info().size().getAsLong());
            assertEquals(20_000, tr.size() + te.size());
            Map<String, Long> allCounts = labelsOf(all, names);
            Map<String, Long> testCounts = labelsOf(te, names);
            for (String c : names) {
                assertEquals(Math.round(0.2 * allCounts.get(c)), testCounts.get(c), "class " + c);
            }
            // A partition: every row lands in exactly one split, file order kept within each.
            int i = 0;
            int j = 0;
            for (Example e : all) {
                float[] v = ((Example.TableRow) e).values();
                if (i < tr.size() && java.util.Arrays.equals(v, ((Example.TableRow) tr.get(i)).values())) {
                    i++;
                } else {
                    assertArrayEquals(v, ((Example.TableRow) te.get(j++)).values());
                }
            }
            assertEquals(tr.size(), i);
            assertEquals(te.size(), j);
        }
    }

    @Test
    void splitIsReproducibleForASeedAndChangesWithIt() {
        Map<String, Object> base = Map.of("split", "test");
        List<float[]> a = values(open("iris.csv", base).load());
        List<float[]> b = values(open("iris.csv", base).load());
        List<float[]> c = values(open("iris.csv", Map.of("split", "test", "split-seed", 7)).load());
        assertEquals(30, a.size());
        assertTrue(sameRows(a, b));
        assertFalse(sameRows(a, c));
    }

    @Test
    void unlabeledSplitHoldsOutTheFraction() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            sb.append(i).append(',').append(i * 2).append('\n');
        }
        Path f = write("u.csv", sb.toString());
        try (Dataset d = source.open(f, Map.of("split", "test", "test-fraction", 0.3))) {
            assertEquals(30, d.load().size());
            assertEquals(30, d.info().size().getAsLong());
        }
        assertThrows(InvalidOptionException.class, () -> source.open(f, Map.of("test-fraction", 1.0)));
    }

    private static List<float[]> values(List<Example> rows) {
        return rows.stream().map(r -> ((Example.TableRow) r).values()).toList();
    }

    private static boolean sameRows(List<float[]> a, List<float[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aWrongSeparatorNamesTheSeparatorOption() throws IOException {
        Path f = write("commas.csv", "a,b,c,label\n1,2,3,x\n4,5,6,y\n");
        io.pretext.api.error.InvalidOptionException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.pretext.api.error.InvalidOptionException.class, () -> source.open(f, Map.of("separator", ";", "label", "first")).close());
        assertEquals("data.separator", e.key(), e.getMessage());
        assertTrue(e.getMessage().contains("single field"), e.getMessage());
    }
}
