package io.pretext.vision.task;

import io.pretext.api.EncoderModel;
import io.pretext.api.TaskModel;
import io.pretext.api.data.Example;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.Batch;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.PreprocessingState;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of a bound image task that does not depend on the objective: the parameters of the
 * encoder and heads, the clean encoder input (the images as they are, NHWC in [0, 1]) and an empty
 * preprocessing state (nothing is fitted on the data).
 */
abstract class ImageTaskModel implements TaskModel {
    /** Metric: mean over embedding dimensions of the batch standard deviation of the encoder output (collapse shows as 0). */
    static final String EMBEDDING_STD = "embedding-std";

    protected final EncoderModel encoder;
    protected final int height;
    protected final int width;
    protected final int channels;
    private final List<ParamSpec> parameters;

    ImageTaskModel(EncoderModel encoder, int[] image, List<ParamSpec> heads) {
        this.encoder = encoder;
        this.height = image[0];
        this.width = image[1];
        this.channels = image[2];
        List<ParamSpec> all = new ArrayList<>(encoder.parameters());
        all.addAll(heads);
        this.parameters = List.copyOf(all);
    }

    /** @return values per image */
    final int imageSize() {
        return height * width * channels;
    }

    @Override
    public final List<ParamSpec> parameters() {
        return parameters;
    }

    @Override
    public final Batch encoderInputs(List<Example> examples) {
        int n = examples.size();
        int size = imageSize();
        float[] data = new float[n * size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(image(examples.get(i)).pixels(), 0, data, i * size, size);
        }
        return new Batch(Map.of(ENCODER_INPUT, HostTensor.of(Shape.of(n, height, width, channels), data)));
    }

    @Override
    public final PreprocessingState preprocessingState() {
        return PreprocessingState.EMPTY;
    }

    /**
     * @param e an example
     * @return it as an image of this task's shape
     */
    final Example.Image image(Example e) {
        if (e instanceof Example.Image img && img.height() == height && img.width() == width && img.channels() == channels) {
            return img;
        }
        throw new PretextException("expected " + height + "x" + width + "x" + channels + " images, got " + describe(e));
    }

    private static String describe(Example e) {
        return e instanceof Example.Image i ? i.height() + "x" + i.width() + "x" + i.channels() + " image" : e.modality() + " example";
    }

    /**
     * @param n images
     * @return the shape of a batch of n images
     */
    final Shape images(int n) {
        return Shape.of(n, height, width, channels);
    }

    /**
     * @param ops the op set
     * @param embeddings [N, D]
     * @return the mean over dimensions of the per-dimension standard deviation over the batch
     */
    static Tensor meanStd(Ops ops, Tensor embeddings) {
        Tensor x = ops.stopGradient(embeddings);
        Tensor centered = ops.sub(x, ops.mean(x, new int[] {0}, true));
        Tensor std = ops.sqrt(ops.add(ops.mean(ops.square(centered), new int[] {0}, false), ops.scalar(1e-12f)));
        return ops.mean(std, new int[0], false);
    }

    /**
     * @param ops the op set
     * @param x a tensor [N, ...]
     * @param from first row
     * @param count rows
     * @return rows {@code from .. from + count} of x
     */
    static Tensor rows(Ops ops, Tensor x, int from, int count) {
        int[] begin = new int[x.shape().rank()];
        int[] size = x.shape().dims();
        begin[0] = from;
        size[0] = count;
        return ops.slice(x, begin, size);
    }
}
