package io.pretext.runtime.embed;

import io.pretext.runtime.checkpoint.EncoderFile;
import io.pretext.api.Backend;
import io.pretext.api.EncoderModel;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.Capability;
import io.pretext.api.backend.OnnxModel;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.model.Mode;
import io.pretext.runtime.checkpoint.SafeTensors;
import io.pretext.runtime.registry.PluginRegistry;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pretext export}: an encoder file to ONNX (traced by a backend that declares
 * {@link Capability#EXPORT_ONNX}; recipe, provenance and preprocessing in the model's metadata),
 * or to safetensors (the encoder alone, checked against its recipe).
 */
public final class EncoderExport {

    /** Formats {@code export} writes. */
    public enum Format {
        /** An ONNX model: input {@code input} [batch, ...], output {@code embedding}. */
        ONNX,
        /** The encoder's parameters, preprocessing state and metadata, as {@code pretrain} writes them. */
        SAFETENSORS;

        /**
         * @param text {@code onnx} or {@code safetensors}
         * @return the format
         */
        public static Format parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException("--format", "'" + text + "' is not a format; allowed: onnx, safetensors");
            }
        }
    }

    /**
     * What was written.
     *
     * @param out the file
     * @param format its format
     * @param encoder the encoder exported
     * @param backend the backend that traced it (empty for safetensors)
     */
    public record Result(Path out, Format format, EncoderModel encoder, Optional<String> backend) {
    }

    private EncoderExport() {
    }

    /**
     * @param registry installed providers (the encoder's provider; for ONNX, a backend that can export)
     * @param encoderFile an {@code encoder.safetensors}
     * @param format what to write
     * @param out where
     * @param backend the backend to trace with, if the user chose one
     * @return what was written
     */
    public static Result export(PluginRegistry registry, Path encoderFile, Format format, Path out, Optional<String> backend) {
        EncoderFile file = EncoderFile.read(encoderFile);
        EncoderModel encoder = file.buildEncoder(registry);
        if (format == Format.SAFETENSORS) {
            SafeTensors.write(out, file.safetensorsTensors(), file.safetensorsMetadata());
            return new Result(out, format, encoder, Optional.empty());
        }
        Backend exporter = Backends.choose(registry, backend, Capability.EXPORT_ONNX, Optional.empty());
        try (BackendSession session = exporter.open(new BackendSettings(0, 0, 0))) {
            session.exportOnnx(encoder.parameters(), file.parameters(), encoder.inputShape(),
                    (ops, params, inputs) -> Map.of(OnnxModel.OUTPUT, encoder.forward(ops, params, inputs.get(OnnxModel.INPUT), Mode.EVAL)),
                    file.onnxMetadata(), out);
        }
        return new Result(out, format, encoder, Optional.of(exporter.id()));
    }
}
