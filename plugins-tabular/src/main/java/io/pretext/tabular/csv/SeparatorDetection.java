package io.pretext.tabular.csv;

import io.pretext.api.error.DataFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Finds the field separator of a CSV file whose options do not give one. */
final class SeparatorDetection {

    /** Lines looked at to detect the separator. */
    static final int SAMPLE_LINES = 200;

    private SeparatorDetection() {
    }

    /**
     * Picks the candidate that splits the most sample lines into the same number of fields (more
     * than one), preferring the earlier candidate on a tie. Counts only separators outside quotes.
     *
     * @param file the CSV file
     * @param charset its charset
     * @return the separator
     * @throws DataFormatException when the file cannot be read as text
     */
    static char detect(Path file, Charset charset) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(TextDecoding.decoder(Files.newInputStream(file), charset))) {
            String line;
            while (lines.size() < SAMPLE_LINES && (line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (CharacterCodingException e) {
            throw TextDecoding.notText(file, charset, e);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        char best = ',';
        double bestScore = 0;
        for (char candidate : CsvSettings.CANDIDATE_SEPARATORS) {
            Map<Integer, Integer> byCount = new HashMap<>();
            for (String line : lines) {
                byCount.merge(countOutsideQuotes(line, candidate), 1, Integer::sum);
            }
            int modalCount = 0;
            int modalLines = 0;
            for (Map.Entry<Integer, Integer> e : byCount.entrySet()) {
                if (e.getValue() > modalLines || (e.getValue() == modalLines && e.getKey() > modalCount)) {
                    modalCount = e.getKey();
                    modalLines = e.getValue();
                }
            }
            double score = modalCount == 0 ? 0 : modalLines / (double) lines.size();
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        CsvScanner.LOG.debug("{}: separator '{}' detected", file, best == '\t' ? "\\t" : String.valueOf(best));
        return best;
    }

    private static int countOutsideQuotes(String line, char separator) {
        int count = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                count++;
            }
        }
        return count;
    }
}
