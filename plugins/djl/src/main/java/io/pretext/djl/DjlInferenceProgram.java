package io.pretext.djl;

import ai.djl.ndarray.NDManager;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Forward;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forward function in evaluation mode, run eagerly in a fresh {@link StepScope} per batch;
 * parameters are plain arrays (no gradient), assignments to state parameters are ignored.
 */
final class DjlInferenceProgram extends DjlProgram implements InferenceProgram {

    private final Forward forward;

    DjlInferenceProgram(List<ParamSpec> parameters, Forward forward, ParameterSet values, NDManager parent, Runnable onClose) {
        super(parameters, parent, onClose);
        this.forward = forward;
        try {
            parameters.forEach(p -> addVariable(p.name(), p.shape()));
            values.checkMatches(parameters);
            Map<String, HostTensor.Floats> initial = new LinkedHashMap<>();
            parameters.forEach(p -> initial.put(p.name(), values.get(p.name())));
            load(initial);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public Map<String, HostTensor> run(Batch batch) {
        checkOpen();
        try (StepScope scope = new StepScope(manager, arena)) {
            Map<String, Tensor> outputs = forward.apply(new io.pretext.api.tensor.Ops(new DjlKernels(scope)), new StepParams(scope, false), inputs(scope, batch));
            Map<String, HostTensor> out = new LinkedHashMap<>();
            outputs.forEach((name, t) -> {
                DjlTensor x = DjlKernels.unwrap(t);
                out.put(name, DjlTypes.toHost(x.array(), x.shape()));
            });
            return out;
        }
    }
}
