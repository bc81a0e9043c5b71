package io.pretext.vision.image;

/** Conversions between grey (1 channel) and RGB (3 channels) HWC images. */
public final class Channels {
    /** ITU-R BT.601 luma weights, as Pillow's {@code convert("L")} and torchvision's {@code rgb_to_grayscale} use. */
    public static final float RED = 0.299f;
    /** Green weight of the luma. */
    public static final float GREEN = 0.587f;
    /** Blue weight of the luma. */
    public static final float BLUE = 0.114f;

    private Channels() {
    }

    /**
     * @param pixels HWC values with {@code from} channels
     * @param from 1 or 3
     * @param to 1 or 3
     * @return the image with {@code to} channels ({@code pixels} itself when equal): grey to RGB copies
     *     the grey level, RGB to grey takes the luma
     */
    public static float[] convert(float[] pixels, int from, int to) {
        if (from == to) {
            return pixels;
        }
        if (from == 1 && to == 3) {
            float[] out = new float[pixels.length * 3];
            for (int i = 0; i < pixels.length; i++) {
                out[3 * i] = pixels[i];
                out[3 * i + 1] = pixels[i];
                out[3 * i + 2] = pixels[i];
            }
            return out;
        }
        if (from == 3 && to == 1) {
            float[] out = new float[pixels.length / 3];
            for (int i = 0; i < out.length; i++) {
                out[i] = luma(pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]);
            }
            return out;
        }
        throw new IllegalArgumentException("channels must be 1 or 3, got " + from + " -> " + to);
    }

    /**
     * @param r red in [0, 1]
     * @param g green in [0, 1]
     * @param b blue in [0, 1]
     * @return the luma in [0, 1]
     */
    public static float luma(float r, float g, float b) {
        return RED * r + GREEN * g + BLUE * b;
    }
}
