package io.pretext.vision.encoder;

import io.pretext.api.EncoderModel;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.layers.Dense;
import io.pretext.layers.Pooling;
import io.pretext.layers.PositionEmbedding;
import io.pretext.layers.TransformerStack;
import java.util.ArrayList;
import java.util.List;

/**
 * A configured {@code vit}, open token by token so that a masked autoencoder can encode only the
 * visible patches: {@link #patchify}, {@link #embed}, {@link #encode}. The plain {@link #forward}
 * is their composition followed by the mean over tokens. Patches are cut from the NHWC input
 * before any layout conversion, so the same code serves every backend.
 */
public final class VitModel implements EncoderModel {
    private final String scope;
    private final Shape inputShape;
    private final int patch;
    private final int gridHeight;
    private final int gridWidth;
    private final int channels;
    private final int dim;
    private final Dense patchEmbedding;
    private final PositionEmbedding positions;
    private final TransformerStack transformer;
    private final List<ParamSpec> parameters;

    VitModel(String scope, Shape inputShape, int patch, int depth, int dim, int heads, int hidden, float dropout) {
        this.scope = scope;
        this.inputShape = inputShape;
        this.patch = patch;
        this.gridHeight = inputShape.dim(0) / patch;
        this.gridWidth = inputShape.dim(1) / patch;
        this.channels = inputShape.dim(2);
        this.dim = dim;
        this.patchEmbedding = Dense.xavier(scope + "/patch_embed", patchWidth(), dim);
        this.positions = new PositionEmbedding(scope + "/position", tokens(), dim);
        this.transformer = new TransformerStack(scope + "/transformer", depth, dim, heads, hidden, dropout);
        List<ParamSpec> specs = new ArrayList<>(patchEmbedding.parameters());
        specs.addAll(positions.parameters());
        specs.addAll(transformer.parameters());
        this.parameters = List.copyOf(specs);
    }

    /** @return the patch side */
    public int patchSize() {
        return patch;
    }

    /** @return the number of patches (tokens) per image */
    public int tokens() {
        return gridHeight * gridWidth;
    }

    /** @return values per flattened patch: patch * patch * channels */
    public int patchWidth() {
        return patch * patch * channels;
    }

    /** @return the token width */
    public int dim() {
        return dim;
    }

    @Override
    public String scope() {
        return scope;
    }

    @Override
    public Shape inputShape() {
        return inputShape;
    }

    @Override
    public Shape outputShape() {
        return Shape.of(dim);
    }

    @Override
    public List<ParamSpec> parameters() {
        return parameters;
    }

    /**
     * @param ops op set
     * @param input images [N, H, W, C] as the batch holds them (NHWC)
     * @return flattened patches [N, T, patch * patch * C], row-major over the patch grid, each patch HWC
     */
    public Tensor patchify(Ops ops, Tensor input) {
        ImageInput.requireBatch("vit", scope, inputShape, input);
        int n = input.shape().dim(0);
        Tensor grid = ops.reshape(input, Shape.of(n, gridHeight, patch, gridWidth, patch, channels));
        return ops.reshape(ops.transpose(grid, 0, 1, 3, 2, 4, 5), Shape.of(n, tokens(), patchWidth()));
    }

    /**
     * The host-side twin of {@link #patchify}, for building reconstruction targets.
     *
     * @param image one HWC image
     * @param token which patch (row-major over the grid)
     * @param target where the patch's values go (HWC within the patch)
     * @param offset index of the first value in {@code target}
     */
    public void patch(float[] image, int token, float[] target, int offset) {
        int gy = token / gridWidth;
        int gx = token % gridWidth;
        int width = gridWidth * patch;
        int row = patch * channels;
        for (int y = 0; y < patch; y++) {
            System.arraycopy(image, ((gy * patch + y) * width + gx * patch) * channels, target, offset + y * row, row);
        }
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param patches [N, T, patch width] from {@link #patchify}
     * @return the tokens [N, T, D] with positions added
     */
    public Tensor embed(Ops ops, Params params, Tensor patches) {
        return positions.apply(ops, params, patchEmbedding.apply(ops, params, patches));
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param tokens [N, t, D], any subset of embedded tokens (positions already added)
     * @param mode training or evaluation
     * @return the encoded tokens [N, t, D]
     */
    public Tensor encode(Ops ops, Params params, Tensor tokens, Mode mode) {
        return transformer.apply(ops, params, tokens, mode);
    }

    @Override
    public Tensor forward(Ops ops, Params params, Tensor input, Mode mode) {
        Tensor encoded = encode(ops, params, embed(ops, params, patchify(ops, input)), mode);
        return Pooling.meanOverTokens(ops, encoded);
    }
}
