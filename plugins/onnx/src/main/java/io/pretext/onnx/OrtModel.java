package io.pretext.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.pretext.api.backend.OnnxModel;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Batch;
import io.pretext.api.tensor.HostTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An ONNX file served by ONNX Runtime, whoever produced it. Every failure names the file: a
 * missing or corrupt file when opening, an input the batch lacks or does not fit when running.
 */
final class OrtModel implements OnnxModel {

    private final Path file;
    private final OrtEngine engine;
    private final OrtSession session;
    private final List<Port> inputs;
    private final List<Port> outputs;
    private final Map<String, String> metadata;
    private final Runnable onClose;
    private boolean closed;

    private OrtModel(Path file, OrtEngine engine, OrtSession session, Runnable onClose) throws OrtException {
        this.file = file;
        this.engine = engine;
        this.session = session;
        this.inputs = ports(session.getInputInfo());
        this.outputs = ports(session.getOutputInfo());
        this.metadata = Map.copyOf(session.getMetadata().getCustomMetadata());
        this.onClose = onClose;
    }

    /**
     * @param file an ONNX file
     * @param engine the engine to run it on
     * @param onClose called once when the model is closed
     * @return the opened model
     * @throws PretextException naming the file when it is missing, unreadable, truncated or not a valid model
     */
    static OrtModel open(Path file, OrtEngine engine, Runnable onClose) {
        if (!Files.isRegularFile(file)) {
            throw new PretextException("ONNX model " + file.toAbsolutePath() + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new PretextException("ONNX model " + file.toAbsolutePath() + " is not readable");
        }
        OrtSession session;
        try (OrtSession.SessionOptions options = engine.options()) {
            session = engine.environment().createSession(file.toAbsolutePath().toString(), options);
        } catch (OrtException e) {
            throw new PretextException("cannot load ONNX model " + file.toAbsolutePath() + " (truncated, corrupt, or not an ONNX model?): "
                    + firstLine(e.getMessage()), e);
        }
        try {
            return new OrtModel(file.toAbsolutePath(), engine, session, onClose);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new PretextException("cannot read the inputs and outputs of ONNX model " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static List<Port> ports(Map<String, NodeInfo> infos) {
        List<Port> out = new ArrayList<>();
        infos.forEach((name, info) -> {
            List<Long> dims = new ArrayList<>();
            if (info.getInfo() instanceof TensorInfo t) {
                for (long d : t.getShape()) {
                    dims.add(d < 0 ? -1L : d);
                }
            }
            out.add(new Port(name, OrtValues.dtypeOf(info.getInfo()), dims));
        });
        return List.copyOf(out);
    }

    @Override
    public List<Port> inputs() {
        return inputs;
    }

    @Override
    public List<Port> outputs() {
        return outputs;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    private String describe(Port p) {
        return p.name() + " (" + p.dtype().map(Enum::name).orElse("unsupported type") + " " + p.dims() + ")";
    }

    private String inputList() {
        return inputs.stream().map(this::describe).collect(Collectors.joining(", "));
    }

    /** Checks the batch against the model's inputs before any native code sees it. */
    private void check(Batch batch) {
        for (String name : batch.tensors().keySet()) {
            if (inputs.stream().noneMatch(p -> p.name().equals(name))) {
                throw new PretextException("ONNX model " + file + " has no input '" + name + "'; its inputs: " + inputList());
            }
        }
        for (Port p : inputs) {
            HostTensor t = batch.tensors().get(p.name());
            if (t == null) {
                throw new PretextException("ONNX model " + file + " needs input " + describe(p) + ", which was not given (given: "
                        + batch.tensors().keySet() + ")");
            }
            if (p.dtype().isEmpty()) {
                throw new PretextException("ONNX model " + file + ": input " + describe(p) + " has an element type Pretext cannot feed "
                        + "(FLOAT32, INT32 and INT64 are supported)");
            }
            if (p.dtype().get() != t.dtype()) {
                throw new ShapeException("onnx", "ONNX model " + file + " expects " + p.dtype().get() + " for input '" + p.name()
                        + "', got " + t.dtype());
            }
            int[] have = t.shape().dims();
            boolean fits = have.length == p.dims().size();
            for (int i = 0; fits && i < have.length; i++) {
                fits = p.dims().get(i) < 0 || p.dims().get(i) == have[i];
            }
            if (!fits) {
                throw new ShapeException("onnx", "ONNX model " + file + " expects input '" + p.name() + "' of shape " + p.dims()
                        + " (-1: any size), got " + t.shape());
            }
        }
    }

    @Override
    public synchronized Map<String, HostTensor> run(Batch batch) {
        if (closed) {
            throw new IllegalStateException("ONNX model " + file + " is closed");
        }
        check(batch);
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        Map<String, HostTensor> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, HostTensor> e : batch.tensors().entrySet()) {
                feeds.put(e.getKey(), OrtValues.toOrt(engine.environment(), e.getValue()));
            }
            try (OrtSession.Result r = session.run(feeds)) {
                for (int i = 0; i < outputs.size(); i++) {
                    Optional<HostTensor> value = OrtValues.toHost(r.get(i));
                    if (value.isPresent()) {
                        out.put(outputs.get(i).name(), value.get());
                    }
                }
            }
        } catch (OrtException e) {
            throw new PretextException("ONNX model " + file + " failed on a batch of " + batch.size() + ": " + firstLine(e.getMessage()), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(session);
        onClose.run();
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // releases memory only
        }
    }
}
