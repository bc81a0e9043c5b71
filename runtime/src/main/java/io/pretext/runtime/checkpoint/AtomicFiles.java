package io.pretext.runtime.checkpoint;

import io.pretext.api.error.PretextException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader sees the old content or the new, never half of it: a temp file
 * in the same folder, flushed, then renamed over the target. A full disk fails the write and
 * leaves the previous file in place.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes through a stream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the content. */
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code file} atomically with what {@code writer} produces. */
    public static void write(Path file, Writer writer) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
                writer.write(out);
                out.flush();
                channel.force(true); // on disk before the rename makes it visible
            }
            readableByAll(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; the original error is the one to report
                }
            }
            throw new PretextException("cannot write " + file + ": " + e.getMessage() + " (the previous version, if any, is unchanged)", e);
        }
    }

    /** Temp files are created owner-only; artifacts should have the usual permissions of a written file. */
    private static void readableByAll(Path file) {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep the default
        }
    }

    /**
     * Replaces folder {@code target} by {@code staged} as a whole: a reader finds either the complete
     * old folder or the complete new one. The old one is kept as {@code target.previous} until the new
     * one is in place, so a crash in between leaves a complete checkpoint under one of the two names.
     */
    public static void replaceFolder(Path staged, Path target) {
        Path previous = target.resolveSibling(target.getFileName() + ".previous");
        try {
            deleteTree(previous);
            if (Files.exists(target)) {
                Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(previous);
        } catch (IOException e) {
            throw new PretextException("cannot put " + staged + " in place of " + target + ": " + e.getMessage()
                    + (Files.exists(previous) ? " (the previous version is in " + previous + ")" : ""), e);
        }
    }

    /** Deletes a folder and its files (checkpoint folders are flat), if present. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** Writes a text file atomically. */
    public static void writeString(Path file, String text) {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
