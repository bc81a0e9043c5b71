package io.pretext.runtime.embed;

import io.pretext.api.error.InvalidOptionException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code pretext embed} was asked to do.
 *
 * @param encoder an {@code encoder.safetensors} from {@code pretrain}, or an ONNX model (Pretext's or foreign)
 * @param data the rows to embed (a CSV, read by the recipe's data source, or by {@code csv} for foreign models)
 * @param out where the embeddings go: {@code .csv} or {@code .npy}
 * @param batchSize rows per batch
 * @param backend the backend id to use, if the user chose one
 * @param inputName the model input to feed (foreign ONNX models)
 * @param inputShape per-example input shape, e.g. {@code 16} or {@code 1x28x28} (foreign ONNX models)
 * @param outputName the model output to write (default: {@code embedding} when present, else the first output)
 * @param overrides {@code key=value} overrides of the stored recipe, or {@code data.key=value} options of the csv source
 */
public record EmbedRequest(Path encoder, Path data, Path out, int batchSize, Optional<String> backend, Optional<String> inputName,
                           Optional<String> inputShape, Optional<String> outputName, List<String> overrides) {

    /** Checks the batch size and copies the overrides. */
    public EmbedRequest {
        if (batchSize < 1 || batchSize > 1 << 20) {
            throw new InvalidOptionException("--batch-size", "must be in [1, 1048576], got " + batchSize);
        }
        overrides = List.copyOf(overrides);
    }

    /** @return whether the encoder is read as a foreign ONNX model fed plain numeric columns */
    boolean foreign() {
        return inputName.isPresent() || inputShape.isPresent();
    }
}
