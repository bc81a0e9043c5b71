package io.pretext.tabular.csv;

import io.pretext.api.error.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a CSV file's bytes as text of its charset, refusing bytes that are not, with a hint at the charset it may be. */
final class TextDecoding {

    private TextDecoding() {
    }

    /**
     * @param in the file's bytes
     * @param charset the charset the file is read in
     * @return a reader that fails on malformed or unmappable input instead of replacing it
     */
    static Reader decoder(InputStream in, Charset charset) {
        return new InputStreamReader(in, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /**
     * @param file the file that did not decode
     * @param charset the charset it was read in
     * @param e the decoding failure
     * @return the error naming the file, the charset and the option to set
     */
    static DataFormatException notText(Path file, Charset charset, CharacterCodingException e) {
        return new DataFormatException(file, "is not valid " + charset.name()
                + " text; set the option '" + CsvDataSource.ENCODING + "' (" + encodingGuess(file) + ")", e);
    }

    /** UTF-16 files (a byte-order mark, or NUL bytes between letters) need UTF-16, not a one-byte charset. */
    private static String encodingGuess(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(512);
            boolean bom = head.length >= 2
                    && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF) || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE));
            int zeros = 0;
            for (byte b : head) {
                zeros += b == 0 ? 1 : 0;
            }
            if (bom || zeros > head.length / 4) {
                return "it looks like UTF-16: e.g. UTF-16";
            }
        } catch (IOException e) {
            // the guess is only a hint
        }
        return "e.g. ISO-8859-1 or windows-1252";
    }
}
