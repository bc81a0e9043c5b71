package io.pretext.vision.source;

import io.pretext.api.error.DataFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/** Opening source files (gzip detected by its magic bytes, not the name) and fingerprinting them. */
final class SourceFiles {
    private SourceFiles() {
    }

    /**
     * @param file a file, gzip-compressed or not
     * @return a buffered stream of its (decompressed) content
     * @throws IOException when it cannot be opened
     */
    static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }

    /**
     * @param file a file
     * @return an absolute, normalized path that exists, or a {@link DataFormatException} naming it
     */
    static Path existing(Path file) {
        Path p = file.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new DataFormatException(p, 0, null, "no such file or folder");
        }
        return p;
    }

    /** @return a fresh SHA-256 digest */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * @param digest a finished digest's bytes
     * @return the fingerprint text, {@code sha256:<hex>}
     */
    static String fingerprint(byte[] digest) {
        return "sha256:" + HexFormat.of().formatHex(digest);
    }

    /**
     * @param digest digest to update with the raw bytes of {@code file}
     * @param file the file
     * @throws IOException when it cannot be read
     */
    static void hash(MessageDigest digest, Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
    }
}
