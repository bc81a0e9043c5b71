package io.pretext.tensorflow;

import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Forward;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/** A forward function in evaluation mode, compiled once per input signature. */
final class TfInferenceProgram extends TfProgram implements InferenceProgram {

    private record Compiled(GraphInputs inputs, List<String> names, List<TfTensor> outputs) {
    }

    private final Forward forward;
    private final SignatureCache<Compiled> compiled = new SignatureCache<>(this::compile);

    TfInferenceProgram(List<ParamSpec> parameters, Forward forward, ParameterSet values, ConfigProto config, long seed,
                       Runnable onClose) {
        super(parameters, config, seed, onClose);
        this.forward = forward;
        try {
            values.checkMatches(parameters);
            Map<String, HostTensor.Floats> initial = new LinkedHashMap<>();
            parameters.forEach(p -> initial.put(p.name(), values.get(p.name())));
            load(initial);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Compiled compile(Signature signature) {
        org.tensorflow.op.Ops sub = nextSubgraph("forward");
        GraphInputs inputs = placeholders(sub, signature);
        GraphParams params = new GraphParams(sub, false);
        Map<String, Tensor> outputs = forward.apply(new io.pretext.api.tensor.Ops(new TfKernels(sub, seed)), params, inputs);
        List<String> names = new ArrayList<>();
        List<TfTensor> tensors = new ArrayList<>();
        outputs.forEach((name, t) -> {
            names.add(name);
            tensors.add(TfKernels.unwrap(t));
        });
        return new Compiled(inputs, names, tensors);
    }

    @Override
    public Map<String, HostTensor> run(Batch batch) {
        checkOpen();
        Compiled c = compiled.get(batch);
        Map<String, HostTensor> out = new LinkedHashMap<>();
        if (c.outputs().isEmpty()) {
            return out;
        }
        Session.Runner runner = session.runner();
        List<org.tensorflow.Tensor> fed = feed(runner, c.inputs(), batch);
        try {
            c.outputs().forEach(t -> runner.fetch(t.output()));
            try (Result r = runner.run()) {
                for (int i = 0; i < c.names().size(); i++) {
                    out.put(c.names().get(i), TfTypes.toHost(r.get(i), c.outputs().get(i).shape()));
                }
            }
        } finally {
            fed.forEach(org.tensorflow.Tensor::close);
        }
        return out;
    }
}
