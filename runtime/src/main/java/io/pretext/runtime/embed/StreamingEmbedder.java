package io.pretext.runtime.embed;

import io.pretext.runtime.checkpoint.EncoderFile;
import io.pretext.api.Backend;
import io.pretext.api.DataSource;
import io.pretext.api.EncoderModel;
import io.pretext.api.TaskModel;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.Capability;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.backend.OnnxModel;
import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.Example;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Mode;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.runtime.registry.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pretext embed}: rows in, embeddings out, in batches, streaming from the data source to
 * the writer, so memory holds one batch whatever the size of the input. Three kinds of encoder:
 * <ul>
 *   <li>an {@code encoder.safetensors}: the stored recipe's task encodes the rows with the saved
 *       preprocessing, and the encoder runs on an inference backend (the recipe's when installed);</li>
 *   <li>an ONNX model exported by {@code pretext export}: the same encoding, read from the model's
 *       metadata, and the model runs on ONNX Runtime (no training backend needed);</li>
 *   <li>any other ONNX model: plain numeric columns of a CSV, reshaped to the input shape given
 *       (or declared by the model), fed to the named input.</li>
 * </ul>
 */
public final class StreamingEmbedder {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingEmbedder.class);

    /**
     * What was written.
     *
     * @param rows rows embedded
     * @param width values per embedding
     * @param out the file written
     * @param how the encoder and backend used, for the report
     */
    public record Result(long rows, int width, Path out, String how) {
    }

    /** Runs the embedding of one batch of raw rows: [rows, ...] out. */
    @FunctionalInterface
    private interface BatchFunction {
        HostTensor.Floats apply(List<Example> rows);
    }

    private StreamingEmbedder() {
    }

    /**
     * @param registry installed providers
     * @param request what to embed, with what, into which file
     * @param progress where progress goes
     * @return what was written
     */
    public static Result run(PluginRegistry registry, EmbedRequest request, ProgressBar progress) {
        String name = request.encoder().getFileName().toString().toLowerCase(Locale.ROOT);
        EmbeddingWriter.checkFormat(request.out()); // before any work is done
        if (name.endsWith(".onnx")) {
            return onnx(registry, request, progress);
        }
        if (name.endsWith(".safetensors")) {
            if (request.foreign()) {
                throw new InvalidOptionException("--input-name", "--input-name and --input-shape are for ONNX models; "
                        + request.encoder() + " is an encoder file, whose input the stored recipe defines");
            }
            return encoderFile(registry, request, progress);
        }
        throw new InvalidOptionException("--encoder", "'" + request.encoder() + "' must be an encoder.safetensors written by pretext pretrain "
                + "or an ONNX model (.onnx)");
    }

    private static Result encoderFile(PluginRegistry registry, EmbedRequest request, ProgressBar progress) {
        EncoderFile file = EncoderFile.read(request.encoder());
        try (RecipeBinding binding = RecipeBinding.open(registry, file, request.data(), request.overrides())) {
            Backend backend = Backends.choose(registry, request.backend(), Capability.INFERENCE, Optional.of(binding.recipe().backend().id()));
            int[] threads = binding.recipe().backendThreads();
            EncoderModel encoder = binding.encoder();
            try (BackendSession session = backend.open(new BackendSettings(threads[0], threads[1], binding.recipe().seed()));
                 InferenceProgram program = session.compileInference(encoder.parameters(), (ops, params, inputs) ->
                         Map.of(OnnxModel.OUTPUT, encoder.forward(ops, params, inputs.get(TaskModel.ENCODER_INPUT), Mode.EVAL)),
                         file.parameters())) {
                TaskModel task = binding.task();
                BatchFunction f = rows -> floats(program.run(task.encoderInputs(rows)), OnnxModel.OUTPUT, request.encoder(), rows.size());
                return stream(binding.dataset(), request, f, progress, "encoder '" + file.encoderId() + "' on backend " + backend.id());
            }
        }
    }

    private static Result onnx(PluginRegistry registry, EmbedRequest request, ProgressBar progress) {
        Backend backend = Backends.choose(registry, request.backend(), Capability.EXPORT_ONNX, Optional.empty());
        try (BackendSession session = backend.open(new BackendSettings(0, 0, 0));
             OnnxModel model = session.openOnnx(request.encoder())) {
            Optional<EncoderFile> pretext = EncoderFile.fromOnnxMetadata(request.encoder(), model.metadata());
            if (pretext.isPresent() && !request.foreign()) {
                try (RecipeBinding binding = RecipeBinding.open(registry, pretext.get(), request.data(), request.overrides())) {
                    TaskModel task = binding.task();
                    String output = outputName(model, request);
                    BatchFunction f = rows -> floats(model.run(new Batch(Map.of(OnnxModel.INPUT,
                            task.encoderInputs(rows).get(TaskModel.ENCODER_INPUT)))), output, request.encoder(), rows.size());
                    return stream(binding.dataset(), request, f, progress, "ONNX encoder '" + pretext.get().encoderId() + "' on backend "
                            + backend.id());
                }
            }
            return foreign(registry, request, model, progress, backend);
        }
    }

    private static Result foreign(PluginRegistry registry, EmbedRequest request, OnnxModel model, ProgressBar progress, Backend backend) {
        OnnxModel.Port input = inputPort(model, request);
        Shape example = exampleShape(model, input, request);
        String output = outputName(model, request);
        long declaredBatch = input.dims().isEmpty() ? -1 : input.dims().get(0);
        if (declaredBatch == 0) {
            throw new PretextException("ONNX model " + request.encoder() + ": input '" + input.name() + "' has a batch axis of size 0");
        }
        int batchSize = declaredBatch > 0 ? (int) declaredBatch : request.batchSize();
        if (declaredBatch > 0 && declaredBatch != request.batchSize()) {
            LOG.info("ONNX model {} takes batches of exactly {}; the last batch is padded", request.encoder(), declaredBatch);
        }
        try (Dataset dataset = openCsv(registry, request)) {
            TableSchema schema = dataset.info().schema().orElseThrow(() -> new PretextException(request.data() + " is not a table"));
            List<String> categorical = schema.columns().stream().filter(c -> c.kind() == ColumnSpec.Kind.CATEGORICAL).map(ColumnSpec::name)
                    .toList();
            if (!categorical.isEmpty()) {
                throw new PretextException(request.data() + ": a foreign ONNX model is fed plain numeric columns, but " + categorical
                        + " are categorical; drop them (--set data.drop=...) or declare them numeric (--set data.numeric=...)");
            }
            int width = Math.toIntExact(example.size());
            if (schema.width() != width) {
                throw new ShapeException("embed", request.data() + " has " + schema.width() + " feature columns "
                        + schema.columns().stream().map(ColumnSpec::name).collect(Collectors.joining(", ", "(", ")"))
                        + ", but --input-shape " + example + " of input '" + input.name() + "' of " + request.encoder() + " needs " + width
                        + " (the label column, if any, is not fed; see --set data.label=...)");
            }
            BatchFunction f = rows -> {
                int n = rows.size();
                int padded = declaredBatch > 0 ? batchSize : n;
                float[] x = new float[padded * width];
                for (int r = 0; r < n; r++) {
                    float[] values = ((Example.TableRow) rows.get(r)).values();
                    System.arraycopy(values, 0, x, r * width, width);
                }
                HostTensor.Floats out = floats(model.run(new Batch(Map.of(input.name(), HostTensor.of(example.prepend(padded), x)))), output,
                        request.encoder(), padded);
                return padded == n ? out : head(out, n);
            };
            EmbedRequest batched = new EmbedRequest(request.encoder(), request.data(), request.out(), batchSize, request.backend(),
                    request.inputName(), request.inputShape(), request.outputName(), request.overrides());
            String rows = example.toString().replaceFirst("^\\[", "[batch, ");
            return stream(dataset, batched, f, progress, "foreign ONNX model, input '" + input.name() + "' " + rows + ", output '" + output
                    + "', on backend " + backend.id());
        }
    }

    private static OnnxModel.Port inputPort(OnnxModel model, EmbedRequest request) {
        String all = model.inputs().stream().map(p -> p.name() + " " + p.dims()).collect(Collectors.joining(", "));
        if (request.inputName().isPresent()) {
            return model.inputs().stream().filter(p -> p.name().equals(request.inputName().get())).findFirst()
                    .orElseThrow(() -> new InvalidOptionException("--input-name", "ONNX model " + request.encoder() + " has no input '"
                            + request.inputName().get() + "'; its inputs: " + all));
        }
        if (model.inputs().size() != 1) {
            throw new InvalidOptionException("--input-name", "ONNX model " + request.encoder() + " has " + model.inputs().size()
                    + " inputs (" + all + "); name the one to feed");
        }
        return model.inputs().get(0);
    }

    private static Shape exampleShape(OnnxModel model, OnnxModel.Port input, EmbedRequest request) {
        List<Long> declared = input.dims().isEmpty() ? List.of() : input.dims().subList(1, input.dims().size());
        if (request.inputShape().isPresent()) {
            Shape given = EncoderFile.parseDims("--input-shape", request.inputShape().get());
            boolean fits = input.dims().isEmpty() || declared.size() == given.rank();
            for (int i = 0; fits && i < declared.size(); i++) {
                fits = declared.get(i) < 0 || declared.get(i) == given.dim(i);
            }
            if (!fits) {
                throw new InvalidOptionException("--input-shape", given + " per row does not fit input '" + input.name() + "' of ONNX model "
                        + request.encoder() + ", declared " + input.dims() + " (the first axis is the batch; -1: any size)");
            }
            return given;
        }
        if (input.dims().isEmpty() || declared.stream().anyMatch(d -> d < 0)) {
            throw new InvalidOptionException("--input-shape", "input '" + input.name() + "' of ONNX model " + request.encoder()
                    + " is declared " + input.dims() + "; give the per-row shape, e.g. --input-shape 16");
        }
        return Shape.of(declared.stream().mapToInt(Long::intValue).toArray());
    }

    private static String outputName(OnnxModel model, EmbedRequest request) {
        List<String> names = model.outputs().stream().map(OnnxModel.Port::name).toList();
        if (request.outputName().isPresent()) {
            if (!names.contains(request.outputName().get())) {
                throw new InvalidOptionException("--output-name", "ONNX model " + request.encoder() + " has no output '"
                        + request.outputName().get() + "'; its outputs: " + String.join(", ", names));
            }
            return request.outputName().get();
        }
        return names.contains(OnnxModel.OUTPUT) ? OnnxModel.OUTPUT : names.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Dataset openCsv(PluginRegistry registry, EmbedRequest request) {
        DataSource csv = registry.get(DataSource.class, "csv");
        Map<String, Object> raw = new LinkedHashMap<>();
        for (String override : request.overrides()) {
            int eq = override.indexOf('=');
            if (eq <= 0 || !override.startsWith("data.")) {
                throw new InvalidOptionException(override, "a foreign ONNX model reads its CSV with the csv data source; "
                        + "only its options can be set, as data.KEY=VALUE (e.g. data.label=none)");
            }
            raw.put(override.substring("data.".length(), eq).trim(), override.substring(eq + 1).trim());
        }
        raw.put("path", request.data().toAbsolutePath().toString());
        return csv.open(Options.resolve("data", csv.options(), raw), Path.of("").toAbsolutePath());
    }

    private static Result stream(Dataset dataset, EmbedRequest request, BatchFunction f, ProgressBar progress, String how) {
        progress.total(dataset.info().size());
        EmbeddingWriter writer = EmbeddingWriter.open(request.out());
        int width = 0;
        try {
            List<Example> batch = new ArrayList<>(request.batchSize());
            for (Example e : dataset) {
                batch.add(e);
                if (batch.size() == request.batchSize()) {
                    width = write(f, batch, writer, progress);
                    batch = new ArrayList<>(request.batchSize());
                }
            }
            if (!batch.isEmpty()) {
                width = write(f, batch, writer, progress);
            }
            if (writer.rows() == 0) {
                throw new PretextException(request.data() + " has no rows to embed");
            }
            writer.close();
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
        progress.finish(writer.rows(), width, request.out().toString());
        return new Result(writer.rows(), width, request.out(), how);
    }

    private static int write(BatchFunction f, List<Example> batch, EmbeddingWriter writer, ProgressBar progress) {
        HostTensor.Floats z = f.apply(batch);
        int width = Math.toIntExact(z.shape().size() / batch.size());
        writer.write(z.data(), batch.size(), width);
        progress.advance(batch.size());
        return width;
    }

    private static HostTensor.Floats floats(Map<String, HostTensor> outputs, String name, Path model, int rows) {
        HostTensor t = outputs.get(name);
        if (!(t instanceof HostTensor.Floats f)) {
            throw new PretextException(model + ": output '" + name + "' is " + (t == null ? "missing" : t.dtype() + ", not FLOAT32")
                    + "; choose a float output with --output-name");
        }
        if (f.shape().rank() == 0 || f.shape().dim(0) != rows) {
            throw new ShapeException("embed", model + ": output '" + name + "' has shape " + f.shape() + " for a batch of " + rows
                    + "; its first axis must be the batch");
        }
        return f;
    }

    private static HostTensor.Floats head(HostTensor.Floats x, int n) {
        int width = Math.toIntExact(x.shape().size() / x.shape().dim(0));
        float[] d = new float[n * width];
        System.arraycopy(x.data(), 0, d, 0, d.length);
        return HostTensor.of(x.shape().dropFirst().prepend(n), d);
    }
}
