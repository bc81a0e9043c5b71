package io.pretext.vision.augment;

/** A per-thread buffer for the intermediate pass of separable filters, reused across images. */
final class ScratchRows {
    private static final ThreadLocal<float[][]> BUFFER = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    private ScratchRows() {
    }

    /**
     * @param size values needed
     * @return this thread's buffer, at least {@code size} long (contents undefined)
     */
    static float[] get(int size) {
        float[][] holder = BUFFER.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }
}
