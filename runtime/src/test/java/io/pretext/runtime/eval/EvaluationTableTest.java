package io.pretext.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluationTableTest {
    private static EvaluationTable table() {
        return EvaluationTable.builder("letter, seed 0")
                .add("raw", "linear-probe", 1.0, Score.of(0.773))
                .add("raw", "linear-probe", 0.1, Score.of(0.730, 0.742))
                .add("raw", "knn", 1.0, Score.of(0.9358))
                .add("pretrained", "linear-probe", 0.1, Score.of(0.8, 0.81, 0.82))
                .add("pretrained", "linear-probe", 1.0, Score.of(0.915))
                .build();
    }

    @Test
    void scoreIsMeanAndPopulationStandardDeviation() {
        Score s = Score.of(0.5, 0.7);
        assertEquals(0.6, s.mean(), 1e-12);
        assertEquals(0.1, s.std(), 1e-12);
        assertEquals(2, s.n());
        assertEquals(0.0, Score.of(0.9).std());
        assertThrows(ShapeException.class, Score::of);
    }

    @Test
    void rendersMarkdownWithRowsAndColumnsInOrder() {
        String expected = """
                **letter, seed 0**

                | features | linear-probe 100% | linear-probe 10% | knn 100% |
                |---|---|---|---|
                | raw | 77.3 (n=1) | 73.6 ± 0.6 (n=2) | 93.6 (n=1) |
                | pretrained | 91.5 (n=1) | 81.0 ± 0.8 (n=3) | – |
                """;
        assertEquals(expected, table().toMarkdown());
    }

    @Test
    void jsonRoundTripsAndNamesItsFields() {
        EvaluationTable t = table();
        String json = t.toJson();
        assertTrue(json.contains("\"featureSet\" : \"raw\""), json);
        assertTrue(json.contains("\"labelFraction\" : 0.1"), json);
        assertTrue(json.contains("\"mean\" : 0.773"), json);
        assertEquals(t, EvaluationTable.fromJson(json));
        assertThrows(PretextException.class, () -> EvaluationTable.fromJson("{\"cells\": 3}"));
    }

    @Test
    void looksUpCellsAndListsColumns() {
        EvaluationTable t = table();
        assertEquals(List.of("raw", "pretrained"), t.featureSets());
        assertEquals(List.of("linear-probe 100%", "linear-probe 10%", "knn 100%"),
                t.columns().stream().map(EvaluationTable.Column::header).toList());
        assertEquals(Optional.empty(), t.score("pretrained", "knn", 1.0));
        assertEquals(0.915, t.score("pretrained", "linear-probe", 1.0).orElseThrow().mean());
        assertEquals("0.5%", EvaluationTable.percent(0.005));
        assertEquals("1%", EvaluationTable.percent(0.01));
    }

    @Test
    void rejectsTwoResultsForOneCell() {
        PretextException e = assertThrows(PretextException.class, () -> EvaluationTable.builder("")
                .add("raw", "knn", 0.1, Score.of(0.5))
                .add("raw", "knn", 0.1, Score.of(0.6))
                .build());
        assertTrue(e.getMessage().contains("two results for feature set 'raw', protocol 'knn' at 10%"), e.getMessage());
    }
}
