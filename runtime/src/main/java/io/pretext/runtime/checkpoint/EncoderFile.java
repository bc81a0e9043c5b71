package io.pretext.runtime.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.api.ComponentRegistry;
import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.model.PreprocessingState;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.runtime.recipe.Recipe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An encoder as {@code pretext pretrain} exports it ({@code encoder.safetensors}): the trained
 * parameters, the task's preprocessing state, the recipe and the provenance. Also what an ONNX
 * model exported from it carries in its metadata, so that {@code embed} encodes raw data exactly as
 * pretraining did without the safetensors file.
 *
 * <p>ONNX metadata keys (all strings): {@value #FORMAT_KEY} = {@value #ONNX_FORMAT},
 * {@code pretext.encoder}, {@code pretext.input_shape}, {@code pretext.output_shape},
 * {@code pretext.recipe} (YAML), {@code pretext.base_directory}, {@code pretext.provenance} (JSON),
 * {@code pretext.data_fingerprint}, {@code pretext.plugins} (readable summaries of the provenance),
 * and {@code pretext.preprocessing}: JSON {@code {name: {"shape": [...], "float32_le_base64": "..."}}} for a
 * tensor, {@code {name: {"strings": [...]}}} for a list and {@code {name: {"map": {...}}}} for a map
 * of text.
 *
 * <p>In {@code encoder.safetensors} the preprocessing state sits under {@value #PREPROCESSING_PREFIX}:
 * its tensors as tensors, its text as JSON strings (an array for a list, an object for a map) in
 * the file's {@code __metadata__}, so any safetensors reader shows column and category names.
 *
 * @param source the file it was read from
 * @param encoderId the encoder's provider id
 * @param inputShape per-example encoder input shape
 * @param outputShape per-example embedding shape
 * @param recipeYaml the resolved recipe the run used
 * @param baseDirectory the folder relative paths of the recipe resolved against
 * @param provenance what produced the encoder, when recorded
 * @param parameters the trained encoder parameters (empty when read from ONNX metadata)
 * @param preprocessing the task's preprocessing state (column statistics and names), by the task's names
 */
public record EncoderFile(Path source, String encoderId, Shape inputShape, Shape outputShape, String recipeYaml, Path baseDirectory,
                          Optional<Provenance> provenance, ParameterSet parameters, PreprocessingState preprocessing) {

    /** The file name of an exported encoder in a run's output folder. */
    public static final String FILE_NAME = "encoder.safetensors";

    /** Prefix of the task's preprocessing state among the tensors and metadata keys of an encoder file. */
    public static final String PREPROCESSING_PREFIX = "preprocessing/";

    /** Format of an encoder file in its safetensors metadata. */
    public static final String SAFETENSORS_FORMAT = "pretext-encoder-1";
    /** Metadata key saying an ONNX model is a Pretext encoder, and its layout version. */
    public static final String FORMAT_KEY = "pretext.format";
    /** Value of {@link #FORMAT_KEY}. */
    public static final String ONNX_FORMAT = "pretext-onnx-1";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param file an {@code encoder.safetensors}
     * @return its contents
     * @throws PretextException naming the file when it is not an encoder written by {@code pretrain}
     */
    public static EncoderFile read(Path file) {
        if (file.getFileName().toString().endsWith(".onnx")) {
            throw new PretextException(file + " is already an ONNX model; this command reads the " + FILE_NAME
                    + " written by pretext pretrain (pretext embed serves .onnx files directly)");
        }
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        String format = meta.get("format");
        if ("pretext-checkpoint-1".equals(format)) {
            throw new PretextException(file + " is a training checkpoint (encoder and heads, no preprocessing state); use the run's "
                    + FILE_NAME + ", written next to the checkpoint folder");
        }
        if (!SAFETENSORS_FORMAT.equals(format) || !meta.containsKey("recipe")) {
            throw new PretextException(file + " is not an encoder written by pretext pretrain (its metadata has format '" + format
                    + "' and " + (meta.containsKey("recipe") ? "a" : "no") + " recipe)");
        }
        ParameterSet all = contents.tensors();
        Map<String, HostTensor.Floats> tensors = new LinkedHashMap<>();
        all.asMap().forEach((k, v) -> {
            if (k.startsWith(PREPROCESSING_PREFIX)) {
                tensors.put(k.substring(PREPROCESSING_PREFIX.length()), v);
            }
        });
        Map<String, List<String>> lists = new LinkedHashMap<>();
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(PREPROCESSING_PREFIX)) {
                String name = k.substring(PREPROCESSING_PREFIX.length());
                Object text = readText(v, file + ": metadata '" + k + "'");
                if (text instanceof List<?> list) {
                    lists.put(name, list.stream().map(String::valueOf).toList());
                } else {
                    maps.put(name, stringMap((Map<?, ?>) text));
                }
            }
        });
        return new EncoderFile(file, required(meta, "encoder", file), parseShape(required(meta, "input_shape", file), file),
                parseShape(required(meta, "output_shape", file), file), meta.get("recipe"),
                Path.of(meta.getOrDefault("base_directory", ".")),
                Optional.ofNullable(meta.get("provenance")).map(Provenance::fromJson),
                all.filter(n -> !n.startsWith(PREPROCESSING_PREFIX)), new PreprocessingState(tensors, lists, maps));
    }

    /**
     * @param file the ONNX model the metadata came from (for messages)
     * @param metadata the model's metadata properties
     * @return the encoder description, without parameters (they are in the graph); empty when the model is not Pretext's
     */
    public static Optional<EncoderFile> fromOnnxMetadata(Path file, Map<String, String> metadata) {
        String format = metadata.get(FORMAT_KEY);
        if (format == null) {
            return Optional.empty();
        }
        if (!ONNX_FORMAT.equals(format)) {
            throw new PretextException("ONNX model " + file + " has " + FORMAT_KEY + " '" + format + "'; this Pretext reads " + ONNX_FORMAT);
        }
        return Optional.of(new EncoderFile(file, required(metadata, "pretext.encoder", file),
                parseShape(required(metadata, "pretext.input_shape", file), file),
                parseShape(required(metadata, "pretext.output_shape", file), file), required(metadata, "pretext.recipe", file),
                Path.of(metadata.getOrDefault("pretext.base_directory", ".")),
                Optional.ofNullable(metadata.get("pretext.provenance")).map(Provenance::fromJson), new ParameterSet(Map.of()),
                decodePreprocessing(required(metadata, "pretext.preprocessing", file), file)));
    }

    /** @return what an ONNX model exported from this encoder stores, so embedding needs nothing else */
    public Map<String, String> onnxMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(FORMAT_KEY, ONNX_FORMAT);
        m.put("pretext.encoder", encoderId);
        m.put("pretext.input_shape", inputShape.toString());
        m.put("pretext.output_shape", outputShape.toString());
        m.put("pretext.recipe", recipeYaml);
        m.put("pretext.base_directory", baseDirectory.toString());
        provenance.ifPresent(p -> {
            m.put("pretext.provenance", p.toJson());
            m.put("pretext.data_fingerprint", p.dataName() + " " + p.dataFingerprint());
            List<String> plugins = new ArrayList<>();
            p.plugins().forEach(x -> plugins.add(x.section() + "=" + x.id() + " " + x.version()));
            m.put("pretext.plugins", String.join(", ", plugins));
        });
        m.put("pretext.preprocessing", encodePreprocessing(preprocessing));
        return m;
    }

    /** @return the safetensors metadata of this encoder, as {@code pretrain} writes it */
    public Map<String, String> safetensorsMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", SAFETENSORS_FORMAT);
        m.put("encoder", encoderId);
        m.put("input_shape", inputShape.toString());
        m.put("output_shape", outputShape.toString());
        m.put("recipe", recipeYaml);
        m.put("base_directory", baseDirectory.toString());
        provenance.ifPresent(p -> m.put("provenance", p.toJson()));
        preprocessing.lists().forEach((name, list) -> m.put(PREPROCESSING_PREFIX + name, json(list)));
        preprocessing.maps().forEach((name, map) -> m.put(PREPROCESSING_PREFIX + name, json(map)));
        return m;
    }

    /** Writes this encoder as {@code pretrain} exports it (atomically), to {@code file}. */
    public void write(Path file) {
        SafeTensors.write(file, safetensorsTensors(), safetensorsMetadata());
    }

    /** @return the parameters and the preprocessing state's tensors under its prefix, as {@code pretrain} stores them */
    public ParameterSet safetensorsTensors() {
        Map<String, HostTensor.Floats> all = new LinkedHashMap<>(parameters.asMap());
        preprocessing.tensors().forEach((k, v) -> all.put(PREPROCESSING_PREFIX + k, v));
        return new ParameterSet(all);
    }

    /**
     * @param overrides {@code key=value} overrides of the stored recipe
     * @return the stored recipe, relative paths resolving where the run resolved them
     */
    public Recipe recipe(List<String> overrides) {
        return Recipe.parse(recipeYaml, source + " (stored recipe)", Optional.of(baseDirectory.resolve("recipe.yaml"))).withOverrides(overrides);
    }

    /**
     * Builds the encoder from the stored recipe's encoder section, for the stored input shape,
     * and checks that the parameters fit it.
     *
     * @param registry where the encoder provider is found
     * @return the configured encoder
     */
    @SuppressWarnings("unchecked")
    public EncoderModel buildEncoder(ComponentRegistry registry) {
        Map<String, Object> section = new LinkedHashMap<>(recipe(List.of()).section("encoder"));
        section.remove("id");
        Encoder provider = registry.get(Encoder.class, encoderId);
        EncoderModel encoder = provider.create(Options.resolve("encoder", provider.options(), section, registry), inputShape, "encoder");
        if (!encoder.outputShape().equals(outputShape)) {
            throw new PretextException(source + ": encoder '" + encoderId + "' built from the stored recipe outputs " + encoder.outputShape()
                    + ", the file says " + outputShape);
        }
        if (!parameters.names().isEmpty()) {
            try {
                parameters.checkMatches(encoder.parameters());
            } catch (IllegalArgumentException e) {
                throw new PretextException(source + " does not fit encoder '" + encoderId + "' of its recipe: " + e.getMessage(), e);
            }
        }
        return encoder;
    }

    private static String required(Map<String, String> meta, String key, Path file) {
        String v = meta.get(key);
        if (v == null) {
            throw new PretextException(file + " has no '" + key + "' in its metadata");
        }
        return v;
    }

    /**
     * @param text a shape as {@link Shape#toString()} writes it, e.g. {@code [16]} or {@code [28, 28, 1]}
     * @param file where it was read, for messages
     * @return the shape
     */
    static Shape parseShape(String text, Path file) {
        String t = text.trim();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new PretextException(file + ": shape '" + text + "' is not of the form [d1, d2, ...]");
        }
        String inner = t.substring(1, t.length() - 1).trim();
        if (inner.isEmpty()) {
            return Shape.SCALAR;
        }
        String[] parts = inner.split(",");
        int[] dims = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                dims[i] = Integer.parseInt(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new PretextException(file + ": shape '" + text + "' is not of the form [d1, d2, ...]");
        }
        return Shape.of(dims);
    }

    /**
     * @param option the option it came from, for messages
     * @param text per-example dimensions separated by {@code ,} or {@code x}, e.g. {@code 16}, {@code 1x28x28}
     * @return the shape
     */
    public static Shape parseDims(String option, String text) {
        String[] parts = text.trim().replace("[", "").replace("]", "").split("[,xX ]+");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new InvalidOptionException(option, "'" + text + "' is not a list of sizes such as 16 or 1x28x28");
            }
            if (dims[i] <= 0) {
                throw new InvalidOptionException(option, "sizes must be positive, got '" + text + "'");
            }
        }
        return Shape.of(dims);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a JSON array (as a list) or object (as a map) */
    private static Object readText(String json, String where) {
        Object value;
        try {
            value = JSON.readValue(json, Object.class);
        } catch (IOException e) {
            throw new PretextException(where + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(value instanceof List) && !(value instanceof Map)) {
            throw new PretextException(where + " is neither a JSON array nor an object of text");
        }
        return value;
    }

    private static Map<String, String> stringMap(Map<?, ?> map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    private static String encodePreprocessing(PreprocessingState state) {
        Map<String, Object> out = new LinkedHashMap<>();
        state.tensors().forEach((name, t) -> {
            ByteBuffer b = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.data());
            Map<String, Object> entry = new LinkedHashMap<>();
            List<Integer> dims = new ArrayList<>();
            for (int d : t.shape().dims()) {
                dims.add(d);
            }
            entry.put("shape", dims);
            entry.put("float32_le_base64", Base64.getEncoder().encodeToString(b.array()));
            out.put(name, entry);
        });
        state.lists().forEach((name, list) -> out.put(name, Map.of("strings", list)));
        state.maps().forEach((name, map) -> out.put(name, Map.of("map", map)));
        return json(out);
    }

    private static PreprocessingState decodePreprocessing(String json, Path file) {
        Map<String, Map<String, Object>> raw;
        try {
            raw = JSON.readValue(json, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new PretextException("ONNX model " + file + ": pretext.preprocessing is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, HostTensor.Floats> out = new LinkedHashMap<>();
        Map<String, List<String>> lists = new LinkedHashMap<>();
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        try {
            raw.forEach((name, entry) -> {
                if (entry.containsKey("strings")) {
                    lists.put(name, ((List<?>) entry.get("strings")).stream().map(String::valueOf).toList());
                    return;
                }
                if (entry.containsKey("map")) {
                    maps.put(name, stringMap((Map<?, ?>) entry.get("map")));
                    return;
                }
                int[] dims = ((List<?>) entry.get("shape")).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
                byte[] bytes = Base64.getDecoder().decode(String.valueOf(entry.get("float32_le_base64")));
                float[] values = new float[bytes.length / 4];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                out.put(name, HostTensor.of(Shape.of(dims), values));
            });
        } catch (RuntimeException e) {
            throw new PretextException("ONNX model " + file + ": pretext.preprocessing is malformed: " + e.getMessage(), e);
        }
        return new PreprocessingState(out, lists, maps);
    }
}
