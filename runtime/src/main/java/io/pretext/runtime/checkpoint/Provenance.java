package io.pretext.runtime.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;

/**
 * Where a checkpoint came from: enough to know what produced it and to refuse mixing it with
 * something else.
 *
 * @param pretextVersion the runtime's version
 * @param plugins the providers the run used
 * @param seed the recipe's seed
 * @param dataName the data set's name
 * @param dataFingerprint content hash of the data
 * @param backend backend id and version
 * @param epochs epochs completed
 * @param steps optimizer steps completed
 * @param finalLoss mean loss of the last epoch
 * @param writtenAt ISO-8601 time of writing
 */
public record Provenance(String pretextVersion, List<Plugin> plugins, long seed, String dataName, String dataFingerprint, String backend,
                         int epochs, long steps, double finalLoss, String writtenAt) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One provider used by the run.
     *
     * @param section recipe section
     * @param id provider id
     * @param version provider version
     * @param jar the jar it came from
     */
    public record Plugin(String section, String id, String version, String jar) {
    }

    /** As pretty JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses what {@link #toJson()} wrote. */
    public static Provenance fromJson(String json) {
        try {
            return JSON.readValue(json, Provenance.class);
        } catch (IOException e) {
            throw new io.pretext.api.error.PretextException("provenance is not valid: " + e.getMessage(), e);
        }
    }
}
