package io.pretext.runtime.embed;

import io.pretext.api.error.PretextException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file written under a temporary name in the target's folder and moved to its name only when
 * complete (the streaming counterpart of {@link io.pretext.runtime.checkpoint.AtomicFiles}).
 */
final class StagedFile {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private final Path target;
    private final Path temp;

    private StagedFile(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    static StagedFile create(Path target) {
        Path absolute = target.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            // createFile, not createTempFile: the finished file gets the usual permissions (umask), not owner-only.
            Path temp = absolute.resolveSibling("." + absolute.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
            return new StagedFile(absolute, Files.createFile(temp));
        } catch (IOException e) {
            throw new PretextException("cannot create " + absolute + ": " + e.getMessage(), e);
        }
    }

    Path target() {
        return target;
    }

    Path temp() {
        return temp;
    }

    OutputStream stream() {
        try {
            return Files.newOutputStream(temp);
        } catch (IOException e) {
            discard();
            throw new PretextException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    void commit() {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            discard();
            throw new PretextException("cannot move the finished " + target + " into place: " + e.getMessage(), e);
        }
    }

    void discard() {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // nothing else to do; the target is untouched
        }
    }
}
