package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.model.ParamSpec;
import java.util.List;

/**
 * A layer of the library: a named group of parameters. Each implementation adds an {@code apply}
 * method whose arguments suit it (a mode for layers that differ between training and evaluation,
 * a mask for attention).
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface Layer {

    /** @return the prefix of every parameter name of this layer, e.g. {@code encoder/dense0} */
    String name();

    /** @return the parameters this layer reads, in declaration order (empty for a layer without any) */
    List<ParamSpec> parameters();
}
