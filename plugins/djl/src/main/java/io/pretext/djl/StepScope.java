package io.pretext.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything one step (or one inference run) allocates: a fresh {@link NDManager} that owns every
 * array the step creates, and the program's {@link HostArena} for arrays made from Java values.
 * Closing the scope closes the manager, so native memory is released deterministically each step
 * and stays flat however many steps run; nothing of the step survives it except values already
 * copied to Java.
 *
 * <p>DJL attaches an op's result to the manager of its first operand. Every array handed to model
 * code is attached here, and {@link #own} re-attaches any result that arrives elsewhere, so no
 * intermediate can leak into the long-lived parameter manager.
 */
final class StepScope implements AutoCloseable {
    private final NDManager manager;
    private final HostArena arena;
    private final Map<Float, DjlTensor> scalars = new HashMap<>();

    /**
     * @param parent the program's manager (the step's is a child, so closing the program closes it too)
     * @param arena the program's direct memory, reset here: the previous step's arrays are closed
     */
    StepScope(NDManager parent, HostArena arena) {
        arena.reset();
        this.manager = parent.newSubManager();
        this.arena = arena;
    }

    /** @return the manager that owns this step's arrays */
    NDManager manager() {
        return manager;
    }

    /**
     * @param array an op result
     * @return the same array, attached to this step
     */
    NDArray own(NDArray array) {
        if (array.getManager() != manager) {
            array.attach(manager);
        }
        return array;
    }

    /**
     * @param array an op result
     * @param shape its static shape
     * @param dtype its type
     * @return the handle model code sees
     */
    DjlTensor tensor(NDArray array, Shape shape, DType dtype) {
        return new DjlTensor(own(array), shape, dtype);
    }

    /**
     * @param host values from Java
     * @return an array living in arena memory until the step ends
     */
    DjlTensor fromHost(HostTensor host) {
        return new DjlTensor(DjlTypes.wrap(manager, arena, host), host.shape(), host.dtype());
    }

    /**
     * A float scalar as an array that lives for the whole step: the only way a Java number reaches
     * an op in this backend (never {@code mul(Number)} and friends, whose temporary scalar DJL frees
     * while autograd still points at it).
     *
     * @param value the value
     * @return the scalar, one array per distinct value per step
     */
    DjlTensor scalar(float value) {
        DjlTensor t = scalars.get(value);
        if (t == null) {
            t = fromHost(HostTensor.scalar(value));
            scalars.put(value, t);
        }
        return t;
    }

    @Override
    public void close() {
        manager.close();
    }
}
