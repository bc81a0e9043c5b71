package io.pretext.tabular.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.Example;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.PreprocessingState;
import io.pretext.api.option.Options;
import io.pretext.tabular.csv.CsvDataSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableEncodingTest {
    private static final float NAN = Float.NaN;
    private static final TableSchema SCHEMA = new TableSchema(List.of(
            new ColumnSpec("x", ColumnSpec.Kind.NUMERIC, List.of()),
            new ColumnSpec("color", ColumnSpec.Kind.CATEGORICAL, List.of("blue", "green", "red")),
            new ColumnSpec("y", ColumnSpec.Kind.NUMERIC, List.of())));

    private static Options options(String indicators) {
        return Options.resolve("task", TableEncoding.OPTIONS, Map.of(TableEncoding.MISSING_INDICATORS, indicators));
    }

    private static TableEncoding fit(TableSchema schema, Options options, List<float[]> rows) {
        ColumnStatistics f = TableEncoding.fitter(schema, options);
        rows.forEach(f::accept);
        return f.finish();
    }

    @Test
    void widthIsOneSlotPerNumberAndOnePerCategory() {
        assertEquals(1 + 3 + 1, TableEncoding.width(SCHEMA, options("none")));
        assertEquals(2 + 3 + 2, TableEncoding.width(SCHEMA, options("numeric")));
    }

    @Test
    void standardizesOneHotsAndImputesMissingValues() {
        // x: 1, 3 -> mean 2, population std 1; y: 10, 10 -> constant, scale 1
        TableEncoding e = fit(SCHEMA, options("numeric"), List.of(new float[] {1, 0, 10}, new float[] {3, 2, 10}, new float[] {NAN, 1, 10}));
        float[] out = new float[e.width()];
        e.encode(new float[] {4, 2, 12}, out, 0);
        assertArrayEquals(new float[] {2, 0, 0, 0, 1, 2, 0}, out);
        e.encode(new float[] {NAN, NAN, 10}, out, 0);
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 0}, out, "missing number -> mean (0) + indicator; missing category -> zeros");
        TableEncoding plain = fit(SCHEMA, options("none"), List.of(new float[] {1, 0, 10}, new float[] {3, 2, 10}));
        float[] p = new float[plain.width()];
        plain.encode(new float[] {NAN, 1, 9}, p, 0);
        assertArrayEquals(new float[] {0, 0, 1, 0, -1}, p);
    }

    @Test
    void statisticsComeFromTheTrainingSplitOnly() {
        CsvDataSource csv = new CsvDataSource();
        Path letter = Path.of("..", "data", "tabular", "letter-recognition.csv");
        try (Dataset train = csv.open(letter, Map.of("label", "first", "split", "train"));
             Dataset all = csv.open(letter, Map.of("label", "first"))) {
            TableSchema schema = train.info().schema().orElseThrow();
            List<Example> rows = train.load();
            TableEncoding e = fit(schema, options("none"), rows.stream().map(TableEncoding::row).toList());
            for (int j : new int[] {0, 7, 15}) {
                double sum = 0;
                double sq = 0;
                for (Example r : rows) {
                    double v = TableEncoding.row(r)[j];
                    sum += v;
                    sq += v * v;
                }
                double mean = sum / rows.size();
                double std = Math.sqrt(sq / rows.size() - mean * mean);
                assertEquals(mean, e.mean(j), 1e-4, "column " + j);
                assertEquals(1 / std, e.scale(j), 1e-4, "column " + j);
            }
            // Encoded training rows are standardized; the full file's statistics are not the ones used.
            float[] encoded = e.encode(rows).data();
            double m = 0;
            for (int i = 0; i < rows.size(); i++) {
                m += encoded[i * e.width()];
            }
            assertEquals(0, m / rows.size(), 1e-5);
            TableEncoding fromAll = fit(schema, options("none"), all.load().stream().map(TableEncoding::row).toList());
            assertNotEquals(fromAll.mean(0), e.mean(0));
        }
    }

    @Test
    void stateRestoresTheSameEncoding() {
        TableEncoding e = fit(SCHEMA, options("numeric"), List.of(new float[] {1, 0, 10}, new float[] {5, 2, -3}));
        PreprocessingState state = e.state();
        assertTrue(state.names().stream().allMatch(n -> n.startsWith("tabular/")), state.names().toString());
        assertEquals(List.of("x", "color", "y"), state.list("tabular/columns"), "column names are kept as text");
        assertEquals(List.of("blue", "green", "red"), state.list("tabular/categories/1"), "category names are kept as text");
        TableEncoding back = TableEncoding.restore(SCHEMA, options("numeric"), state);
        float[] a = new float[e.width()];
        float[] b = new float[e.width()];
        float[] row = {2.5f, 1, NAN};
        e.encode(row, a, 0);
        back.encode(row, b, 0);
        assertArrayEquals(a, b);
        assertEquals(state, back.state());
    }

    @Test
    void restoreLinesOtherCategoriesUpWithTheTrainedOnes() {
        TableEncoding trained = fit(SCHEMA, options("none"), List.of(new float[] {1, 0, 2}, new float[] {3, 2, 4}));
        // new data without 'blue' and with 'yellow': its category indices are green=0, red=1, yellow=2
        TableSchema other = new TableSchema(List.of(SCHEMA.columns().get(0),
                new ColumnSpec("color", ColumnSpec.Kind.CATEGORICAL, List.of("green", "red", "yellow")), SCHEMA.columns().get(2)));
        TableEncoding back = TableEncoding.restore(other, options("none"), trained.state());
        assertEquals(trained.width(), back.width());
        float[] want = new float[trained.width()];
        float[] got = new float[back.width()];
        trained.encode(new float[] {2, 1, 3}, want, 0); // green in the trained indices
        back.encode(new float[] {2, 0, 3}, got, 0);     // green in the new data's indices
        assertArrayEquals(want, got);
        trained.encode(new float[] {2, 2, 3}, want, 0); // red
        back.encode(new float[] {2, 1, 3}, got, 0);
        assertArrayEquals(want, got);
        trained.encode(new float[] {2, NAN, 3}, want, 0);
        back.encode(new float[] {2, 2, 3}, got, 0);     // yellow was never seen: encoded as a missing category
        assertArrayEquals(want, got);
        assertEquals(trained.state(), back.state(), "a checkpoint written after restoring keeps the trained categories");
    }

    @Test
    void restoreRefusesOtherColumnsOrOptions() {
        PreprocessingState state = fit(SCHEMA, options("none"), List.<float[]>of(new float[] {1, 0, 2})).state();
        TableSchema colorAsNumber = new TableSchema(List.of(SCHEMA.columns().get(0),
                new ColumnSpec("color", ColumnSpec.Kind.NUMERIC, List.of()), SCHEMA.columns().get(2)));
        PretextException e = assertThrows(PretextException.class, () -> TableEncoding.restore(colorAsNumber, options("none"), state));
        assertTrue(e.getMessage().contains("'color' is numeric in this data but was categorical"), e.getMessage());
        assertThrows(PretextException.class, () -> TableEncoding.restore(SCHEMA, options("numeric"), state));
        TableSchema narrower = new TableSchema(SCHEMA.columns().subList(0, 2));
        e = assertThrows(PretextException.class, () -> TableEncoding.restore(narrower, options("none"), state));
        assertTrue(e.getMessage().contains("trained on 3 feature columns; 2 of them are in this data by name"), e.getMessage());
    }

    @Test
    void restoreLinesColumnsUpByNameAndLeavesOutColumnsPretrainingDidNotRead() {
        TableEncoding trained = fit(SCHEMA, options("numeric"), List.of(new float[] {1, 0, 2}, new float[] {3, 2, 6}));
        // the same columns in another order, with one more in front
        TableSchema other = new TableSchema(List.of(new ColumnSpec("id", ColumnSpec.Kind.NUMERIC, List.of()), SCHEMA.columns().get(2),
                SCHEMA.columns().get(1), SCHEMA.columns().get(0)));
        TableEncoding back = TableEncoding.restore(other, options("numeric"), trained.state());
        float[] want = new float[trained.width()];
        float[] got = new float[back.width()];
        trained.encode(new float[] {2.5f, 1, NAN}, want, 0);
        back.encode(new float[] {99, NAN, 1, 2.5f}, got, 0);
        assertArrayEquals(want, got);
        assertEquals(trained.state(), back.state());
    }

    /** A state as encoders saved it before names were text: 48-bit name hashes as [n, 2] float tensors. */
    private static PreprocessingState withHashedNames(PreprocessingState state, TableSchema schema) {
        PreprocessingState old = PreprocessingState.ofTensors(state.tensors())
                .withTensor(EncodingState.COLUMNS, SavedNames.Hashed.hashes48(schema.columns().stream().map(ColumnSpec::name).toList()));
        for (int j = 0; j < schema.width(); j++) {
            if (schema.columns().get(j).kind() == ColumnSpec.Kind.CATEGORICAL) {
                old = old.withTensor(EncodingState.CATEGORIES + j, SavedNames.Hashed.hashes48(schema.columns().get(j).categories()));
            }
        }
        return old;
    }

    @Test
    void anEncodingSavedWithNameHashesStillRestoresAndLinesColumnsAndCategoriesUpByName() {
        TableEncoding trained = fit(SCHEMA, options("none"), List.of(new float[] {1, 0, 2}, new float[] {3, 2, 6}));
        PreprocessingState old = withHashedNames(trained.state(), SCHEMA);
        assertTrue(old.lists().isEmpty(), "the old format holds tensors only");
        // the same columns in another order, and the categories numbered otherwise (red first, no blue)
        TableSchema other = new TableSchema(List.of(SCHEMA.columns().get(2), SCHEMA.columns().get(0),
                new ColumnSpec("color", ColumnSpec.Kind.CATEGORICAL, List.of("red", "green"))));
        TableEncoding back = TableEncoding.restore(other, options("none"), old);
        float[] want = new float[trained.width()];
        float[] got = new float[back.width()];
        trained.encode(new float[] {2, 2, 4}, want, 0); // red
        back.encode(new float[] {4, 2, 0}, got, 0);
        assertArrayEquals(want, got);
        trained.encode(new float[] {2, 1, 4}, want, 0); // green
        back.encode(new float[] {4, 2, 1}, got, 0);
        assertArrayEquals(want, got);
        assertEquals(old, back.state(), "a restored old encoding is saved again as it was read");
    }

    @Test
    void anEncodingSavedWithTwentyFourBitCategoryHashesStillRestores() {
        TableEncoding trained = fit(SCHEMA, options("none"), List.of(new float[] {1, 0, 2}, new float[] {3, 2, 6}));
        PreprocessingState old = PreprocessingState.ofTensors(trained.state().tensors())
                .withTensor(EncodingState.CATEGORIES + 1, SavedNames.Hashed.hashes24(SCHEMA.columns().get(1).categories()));
        TableEncoding back = TableEncoding.restore(SCHEMA, options("none"), old);
        float[] want = new float[trained.width()];
        float[] got = new float[back.width()];
        trained.encode(new float[] {2, 2, 4}, want, 0);
        back.encode(new float[] {2, 2, 4}, got, 0);
        assertArrayEquals(want, got);
    }
}
