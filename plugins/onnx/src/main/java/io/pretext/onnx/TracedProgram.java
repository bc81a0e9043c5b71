package io.pretext.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Forward;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forward function compiled for ONNX Runtime: traced into a graph once per input signature
 * (names, dtypes and shapes of the batch), with the parameters as initializers, then run as an
 * ONNX Runtime session batch after batch.
 */
final class TracedProgram implements InferenceProgram {

    private record Signature(List<String> names, List<DType> dtypes, List<Shape> shapes) {
        static Signature of(Batch batch) {
            List<String> names = new ArrayList<>();
            List<DType> dtypes = new ArrayList<>();
            List<Shape> shapes = new ArrayList<>();
            batch.tensors().forEach((n, t) -> {
                names.add(n);
                dtypes.add(t.dtype());
                shapes.add(t.shape());
            });
            return new Signature(names, dtypes, shapes);
        }
    }

    private record Compiled(OrtSession session, List<String> inputs, List<Trace.Output> outputs) {
    }

    private final OrtEngine engine;
    private final List<ParamSpec> parameters;
    private final Forward forward;
    private final ParameterSet values;
    private final long seed;
    private final String producerVersion;
    private final Runnable onClose;
    private final Map<Signature, Compiled> compiled = new HashMap<>();
    private boolean closed;

    TracedProgram(OrtEngine engine, List<ParamSpec> parameters, Forward forward, ParameterSet values, long seed, String producerVersion,
                  Runnable onClose) {
        values.checkMatches(parameters);
        this.engine = engine;
        this.parameters = List.copyOf(parameters);
        this.forward = forward;
        this.values = values;
        this.seed = seed;
        this.producerVersion = producerVersion;
        this.onClose = onClose;
    }

    private Compiled compile(Signature signature) {
        GraphBuilder graph = new GraphBuilder("pretext-forward");
        Map<String, Traced> inputs = new LinkedHashMap<>();
        for (int i = 0; i < signature.names().size(); i++) {
            inputs.put(signature.names().get(i), new Traced(signature.names().get(i), signature.shapes().get(i), signature.dtypes().get(i), -1));
        }
        Trace trace = new Trace(graph, parameters, values, inputs);
        List<Trace.Output> outputs = trace.run(forward, new io.pretext.api.tensor.Ops(new TracingKernels(graph, false, seed)), false);
        if (outputs.isEmpty()) {
            return new Compiled(null, List.of(), outputs);
        }
        for (String name : trace.usedInputs()) {
            Traced t = inputs.get(name);
            graph.input(name, t.dtype(), t.shape().dims());
        }
        for (Trace.Output o : outputs) {
            graph.output(o.graphName(), o.value().dtype(), o.value().shape().dims());
        }
        byte[] model = graph.model(producerVersion, Map.of()).toByteArray();
        try (OrtSession.SessionOptions options = engine.options()) {
            OrtSession session = engine.environment().createSession(model, options);
            return new Compiled(session, List.copyOf(trace.usedInputs()), outputs);
        } catch (OrtException e) {
            throw new PretextException("ONNX Runtime rejected the traced graph: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Map<String, HostTensor> run(Batch batch) {
        if (closed) {
            throw new IllegalStateException("inference program is closed");
        }
        Compiled c = compiled.computeIfAbsent(Signature.of(batch), this::compile);
        Map<String, HostTensor> out = new LinkedHashMap<>();
        if (c.session() == null) {
            return out;
        }
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (String name : c.inputs()) {
                feeds.put(name, OrtValues.toOrt(engine.environment(), batch.get(name)));
            }
            try (OrtSession.Result r = c.session().run(feeds)) {
                for (int i = 0; i < c.outputs().size(); i++) {
                    Trace.Output o = c.outputs().get(i);
                    HostTensor value = OrtValues.toHost(r.get(i)).orElseThrow();
                    // ONNX Runtime reports a scalar's shape as []: keep the traced static shape, which is what callers expect.
                    out.put(o.name(), value.shape().equals(o.value().shape()) ? value : reshape(value, o.value().shape()));
                }
            }
        } catch (OrtException e) {
            throw new PretextException("ONNX Runtime failed to run the traced graph: " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
        return out;
    }

    private static HostTensor reshape(HostTensor value, Shape shape) {
        if (value instanceof HostTensor.Floats f) {
            return HostTensor.of(shape, f.data());
        }
        if (value instanceof HostTensor.Ints i) {
            return HostTensor.of(shape, i.data());
        }
        return HostTensor.of(shape, ((HostTensor.Longs) value).data());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Compiled c : compiled.values()) {
            if (c.session() != null) {
                try {
                    c.session().close();
                } catch (OrtException e) {
                    // closing releases memory only; nothing the caller could do about a failure
                }
            }
        }
        compiled.clear();
        onClose.run();
    }
}
