package io.pretext.runtime.testplugins;

import io.pretext.api.EncoderModel;
import io.pretext.api.LossInputs;
import io.pretext.api.LossKind;
import io.pretext.api.PretextApi;
import io.pretext.api.PretextTask;
import io.pretext.api.TaskContext;
import io.pretext.api.TaskModel;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.PreprocessingState;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Test task: two views of a row by additive Gaussian noise, contrasted through the encoder. */
public final class NoisyPairTask implements PretextTask {

    @Override
    public String id() {
        return "test-noisy-pair";
    }

    @Override
    public String description() {
        return "test only: Gaussian-noise views, pair loss";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.decimal("noise", 0.3, "std of the noise added to each view").atLeast(0));
    }

    @Override
    public Modality modality() {
        return Modality.TABLE;
    }

    @Override
    public LossKind lossKind() {
        return LossKind.PAIR;
    }

    @Override
    public TaskModel bind(TaskContext context, Options options) {
        EncoderModel encoder = context.encoder();
        float noise = options.getFloat("noise");
        int width = encoder.inputShape().dim(0);
        return new TaskModel() {
            @Override
            public List<ParamSpec> parameters() {
                return encoder.parameters();
            }

            @Override
            public Batch prepare(List<Example> examples, SplittableRandom random) {
                int n = examples.size();
                float[] a = new float[n * width];
                float[] b = new float[n * width];
                for (int i = 0; i < n; i++) {
                    float[] v = ((Example.TableRow) examples.get(i)).values();
                    for (int j = 0; j < width; j++) {
                        a[i * width + j] = v[j] + noise * (float) random.nextGaussian();
                        b[i * width + j] = v[j] + noise * (float) random.nextGaussian();
                    }
                }
                return new Batch(Map.of("anchor", HostTensor.of(Shape.of(n, width), a), "positive", HostTensor.of(Shape.of(n, width), b)));
            }

            @Override
            public Objective objective() {
                return (ops, params, inputs, mode) -> context.loss().compute(ops, new LossInputs.Pair(
                        encoder.forward(ops, params, inputs.get("anchor"), mode), encoder.forward(ops, params, inputs.get("positive"), mode)));
            }

            @Override
            public Batch encoderInputs(List<Example> examples) {
                int n = examples.size();
                float[] x = new float[n * width];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(((Example.TableRow) examples.get(i)).values(), 0, x, i * width, width);
                }
                return new Batch(Map.of(ENCODER_INPUT, HostTensor.of(Shape.of(n, width), x)));
            }

            @Override
            public PreprocessingState preprocessingState() {
                return PreprocessingState.EMPTY;
            }
        };
    }
}
