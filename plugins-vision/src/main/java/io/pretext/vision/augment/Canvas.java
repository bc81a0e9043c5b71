package io.pretext.vision.augment;

import io.pretext.api.data.Example;
import java.util.Arrays;

/**
 * A working image that one thread owns while it augments: an HWC pixel buffer that transforms
 * may change in place, and a scratch buffer of the same size for transforms that read the old
 * pixels while writing new ones (they write the scratch, then {@link #swap()}). Buffers grow as
 * needed and are reused from image to image.
 */
public final class Canvas {
    private int height;
    private int width;
    private int channels;
    private float[] pixels = new float[0];
    private float[] scratch = new float[0];

    /** @return rows */
    public int height() {
        return height;
    }

    /** @return columns */
    public int width() {
        return width;
    }

    /** @return channels (1 or 3) */
    public int channels() {
        return channels;
    }

    /** @return number of values in use: height * width * channels */
    public int size() {
        return height * width * channels;
    }

    /** @return the pixel buffer (only the first {@link #size()} values are the image) */
    public float[] pixels() {
        return pixels;
    }

    /** @return the scratch buffer, at least {@link #size()} values, contents undefined */
    public float[] scratch() {
        return scratch;
    }

    /** Makes the scratch buffer the image (after a transform wrote its result there). */
    public void swap() {
        float[] t = pixels;
        pixels = scratch;
        scratch = t;
    }

    /**
     * @param image the image to work on; its pixels are copied, never changed
     * @return this canvas
     */
    public Canvas load(Example.Image image) {
        return load(image.pixels(), image.height(), image.width(), image.channels());
    }

    /**
     * @param source HWC values, copied
     * @param h rows
     * @param w columns
     * @param c channels
     * @return this canvas
     */
    public Canvas load(float[] source, int h, int w, int c) {
        height = h;
        width = w;
        channels = c;
        int n = h * w * c;
        if (pixels.length < n) {
            pixels = new float[n];
            scratch = new float[n];
        }
        System.arraycopy(source, 0, pixels, 0, n);
        return this;
    }

    /**
     * @param label the label to carry
     * @return a new image holding a copy of the current pixels
     */
    public Example.Image toImage(int label) {
        return new Example.Image(height, width, channels, Arrays.copyOf(pixels, size()), label);
    }

    /**
     * @param target array to write the current pixels into
     * @param offset where they start
     */
    public void copyTo(float[] target, int offset) {
        System.arraycopy(pixels, 0, target, offset, size());
    }
}
