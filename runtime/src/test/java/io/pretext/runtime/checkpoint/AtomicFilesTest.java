package io.pretext.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.PretextException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifacts are replaced whole or not at all, also when the disk fills up halfway through a write. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousVersionAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        AtomicFiles.writeString(file, "version 1");
        PretextException e = assertThrows(PretextException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("No space left on device")
                && e.getMessage().contains("previous version"), e.getMessage());
        assertEquals("version 1", Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of("model.safetensors"), names(), "the partial temporary file is removed");
    }

    @Test
    void aFolderIsReplacedWholeAndTheOldOneIsGoneAfterwards() throws IOException {
        Path target = dir.resolve("checkpoint");
        Path staged = dir.resolve("checkpoint.staging");
        Files.createDirectories(target);
        AtomicFiles.writeString(target.resolve("model.safetensors"), "epoch 1");
        Files.createDirectories(staged);
        AtomicFiles.writeString(staged.resolve("model.safetensors"), "epoch 2");
        AtomicFiles.replaceFolder(staged, target);
        assertEquals("epoch 2", Files.readString(target.resolve("model.safetensors")));
        assertFalse(Files.exists(staged));
        assertEquals(List.of("checkpoint"), names());
    }
}
