package io.pretext.runtime.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.InvalidOptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming writers: files NumPy and CSV readers accept, written batch by batch, never left half-written. */
class EmbeddingWriterTest {

    @TempDir
    Path dir;

    private static float[] values(int n, float offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = offset + i * 0.1f - 3e-7f * i * i;
        }
        return v;
    }

    @Test
    void npyHoldsEveryBatchInOrderUnderAHeaderWithTheFinalRowCount() throws Exception {
        Path file = dir.resolve("z.npy");
        float[] a = values(3 * 4, 0);
        float[] b = values(2 * 4, 100);
        try (EmbeddingWriter w = EmbeddingWriter.open(file)) {
            w.write(a, 3, 4);
            assertFalse(Files.exists(file), "the target appears only when complete");
            w.write(b, 2, 4);
            assertEquals(5, w.rows());
        }
        Npy npy = Npy.read(file);
        assertEquals(5, npy.rows());
        assertEquals(4, npy.width());
        float[] both = new float[20];
        System.arraycopy(a, 0, both, 0, 12);
        System.arraycopy(b, 0, both, 12, 8);
        assertArrayEquals(both, npy.data());
    }

    @Test
    void theNpyHeaderHasRoomForAnyRowCount() {
        byte[] huge = NpyEmbeddingWriter.header(Long.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(NpyEmbeddingWriter.HEADER_BYTES, huge.length);
        assertEquals('\n', huge[huge.length - 1]);
    }

    @Test
    void csvHasAHeaderAndValuesThatReadBackExactly() throws Exception {
        Path file = dir.resolve("z.csv");
        float[] a = {1.5f, -0f, 1e-7f, Float.MIN_NORMAL, 123456.78f, (float) Math.PI};
        try (EmbeddingWriter w = EmbeddingWriter.open(file)) {
            w.write(a, 2, 3);
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("e0,e1,e2"), lines.subList(0, 1));
        assertEquals(3, lines.size());
        float[] back = new float[6];
        int i = 0;
        for (String line : lines.subList(1, 3)) {
            for (String v : line.split(",")) {
                back[i++] = Float.parseFloat(v);
            }
        }
        assertArrayEquals(a, back);
    }

    @Test
    void anAbortedWriteLeavesNoFileAndAnEarlierFileUntouched() throws Exception {
        Path file = dir.resolve("z.npy");
        Files.writeString(file, "earlier");
        EmbeddingWriter w = EmbeddingWriter.open(file);
        w.write(values(8, 0), 2, 4);
        w.abort();
        assertEquals("earlier", Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file is gone");
        }
    }

    @Test
    void theFinishedFileHasTheUsualPermissionsNotOwnerOnly() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path file = dir.resolve("z.csv");
        try (EmbeddingWriter w = EmbeddingWriter.open(file)) {
            w.write(values(4, 0), 2, 2);
        }
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void anotherExtensionIsAnOptionErrorNamingOut() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> EmbeddingWriter.open(dir.resolve("z.parquet")));
        assertTrue(e.getMessage().contains("--out") && e.getMessage().contains(".npy"), e.getMessage());
    }
}
