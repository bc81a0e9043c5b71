package io.pretext.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelFractionEvaluationTest {
    @Test
    void everyFeatureSetSeesTheSameSubsets() {
        ReferenceTables.Table iris = ReferenceTables.iris();
        StratifiedSubsets.Split split = StratifiedSubsets.trainTestSplit(iris.y(), 0.2, 0);
        float[][] train = StratifiedSubsets.rows(iris.x(), split.train());
        float[][] test = StratifiedSubsets.rows(iris.x(), split.test());
        // Two rows with identical features: identical scores prove the subsets were shared.
        List<LabelFractionEvaluation.FeatureSet> sets = List.of(
                new LabelFractionEvaluation.FeatureSet("raw", train, test),
                new LabelFractionEvaluation.FeatureSet("raw again", train, test));
        EvaluationTable table = new LabelFractionEvaluation(List.of(1.0, 0.1), 4, 0).run("iris", sets,
                StratifiedSubsets.rows(iris.y(), split.train()), StratifiedSubsets.rows(iris.y(), split.test()),
                List.of(new LinearProbe(), new KnnClassifier(5, 0.07, false)));
        assertEquals(2 * 2 * 2, table.cells().size());
        for (EvaluationTable.Column column : table.columns()) {
            Score a = table.score("raw", column.protocol(), column.labelFraction()).orElseThrow();
            Score b = table.score("raw again", column.protocol(), column.labelFraction()).orElseThrow();
            assertEquals(a, b, column.header());
            assertEquals(column.labelFraction() == 1.0 ? 1 : 4, a.n(), column.header());
        }
        double full = table.score("raw", "linear-probe", 1.0).orElseThrow().mean();
        assertTrue(full >= 0.9, "iris is nearly linearly separable: " + full);
        assertTrue(table.score("raw", "linear-probe", 0.1).orElseThrow().std() > 0, "different subsets, different scores");
    }

    @Test
    void rejectsBadSettingsAndMisalignedFeatures() {
        assertEquals("label-fractions",
                assertThrows(InvalidOptionException.class, () -> new LabelFractionEvaluation(List.of(1.5), 1, 0)).key());
        assertEquals("repeats", assertThrows(InvalidOptionException.class, () -> new LabelFractionEvaluation(List.of(1.0), 0, 0)).key());
        LabelFractionEvaluation eval = new LabelFractionEvaluation(List.of(1.0), 1, 0);
        float[][] x = {{1}, {2}, {3}};
        ShapeException e = assertThrows(ShapeException.class, () -> eval.run("t",
                List.of(new LabelFractionEvaluation.FeatureSet("raw", x, x)), new int[] {0, 1}, new int[] {0, 1, 1},
                List.of(new LinearProbe())));
        assertTrue(e.getMessage().contains("raw (train)"), e.getMessage());
    }
}
