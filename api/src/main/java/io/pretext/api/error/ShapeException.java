package io.pretext.api.error;

import io.pretext.api.ApiStatus;

/** Operands whose shapes or dtypes an op cannot combine; names the op and the shapes. */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public final class ShapeException extends PretextException {
    private static final long serialVersionUID = 1L;
    private final String op;

    /**
     * @param op the op name, e.g. "matmul"
     * @param detail the shapes involved and the rule they break
     */
    public ShapeException(String op, String detail) {
        super(op + ": " + detail);
        this.op = op;
    }

    /** @return the op that rejected its operands */
    public String op() {
        return op;
    }
}
