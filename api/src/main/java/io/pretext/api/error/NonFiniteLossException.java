package io.pretext.api.error;

import io.pretext.api.ApiStatus;

/** Training produced a NaN or infinite loss; says at which step so the run can be diagnosed. */
@ApiStatus(ApiStatus.Status.STABLE)
public final class NonFiniteLossException extends PretextException {
    private static final long serialVersionUID = 1L;
    private final long step;

    /**
     * @param step the optimizer step whose loss was not finite
     * @param loss the value observed
     */
    public NonFiniteLossException(long step, double loss) {
        super("loss is " + loss + " at step " + step
                + "; lower the learning rate, enable gradient clipping or check the data for NaN values");
        this.step = step;
    }

    /** @return the step at which the loss stopped being finite */
    public long step() {
        return step;
    }
}
