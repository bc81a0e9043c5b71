package io.pretext.runtime.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.model.PreprocessingState;
import io.pretext.runtime.checkpoint.EncoderFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encoder written before preprocessing state held text (its column and category names hashed
 * into float tensors; see the fixture's README) still embeds raw rows exactly as the code that
 * wrote it did, from its safetensors file and from its ONNX export, with the columns and the
 * categories lined up by name.
 */
class OldEncoderFileTest {
    private static final Path FIXTURE = Path.of("src", "test", "resources", "encoder-before-text-state");

    @TempDir
    Path dir;

    private static List<String> embeddings(Path csv) throws IOException {
        return Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size());
    }

    private static void assertSameEmbeddings(List<String> want, List<String> got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            String[] a = want.get(i).split(",");
            String[] b = got.get(i).split(",");
            assertEquals(a.length, b.length);
            for (int k = 0; k < a.length; k++) {
                assertEquals(Float.parseFloat(a[k]), Float.parseFloat(b[k]), 1e-6, "row " + i + ", value " + k);
            }
        }
    }

    private List<String> embed(Path encoder, Path data) throws IOException {
        Path out = dir.resolve("out-" + System.nanoTime() + ".csv");
        Cli.Result r = Cli.run("embed", "--encoder", encoder.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        return embeddings(out);
    }

    @Test
    void theFixtureHoldsNameHashesNotText() {
        PreprocessingState state = EncoderFile.read(FIXTURE.resolve("encoder.safetensors")).preprocessing();
        assertTrue(state.lists().isEmpty() && state.maps().isEmpty(), state.names().toString());
        assertEquals(List.of(5, 2), List.of(state.tensor("tabular/columns").shape().dim(0), state.tensor("tabular/columns").shape().dim(1)));
    }

    @Test
    void itEmbedsTheRowsAsTheCodeThatWroteItDid() throws IOException {
        List<String> want = embeddings(FIXTURE.resolve("embeddings.csv"));
        assertSameEmbeddings(want, embed(FIXTURE.resolve("encoder.safetensors"), FIXTURE.resolve("adult-60.csv")));
        assertSameEmbeddings(want, embed(FIXTURE.resolve("encoder.onnx"), FIXTURE.resolve("adult-60.csv")));
    }

    @Test
    void columnsInAnotherOrderAndCategoriesSeenInAnotherOrderAreLinedUpByName() throws IOException {
        List<String> lines = Files.readAllLines(FIXTURE.resolve("adult-60.csv"));
        // rows reversed: the categories come in another order, so the data numbers them otherwise
        List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
        Collections.reverse(rows);
        List<String> reversed = new ArrayList<>(List.of(lines.get(0)));
        reversed.addAll(rows);
        Path moved = dir.resolve("reordered.csv");
        Files.write(moved, Cli.swapFields(Cli.swapFields(reversed, 0, 4), 1, 2));
        List<String> want = new ArrayList<>(embeddings(FIXTURE.resolve("embeddings.csv")));
        Collections.reverse(want);
        assertSameEmbeddings(want, embed(FIXTURE.resolve("encoder.safetensors"), moved));
    }
}
