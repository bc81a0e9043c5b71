package io.pretext.vision.image;

/**
 * Separable resampling of a rectangular region of an HWC float image to a new size, with a
 * triangle (bilinear) filter whose support widens with the downscaling factor, as Pillow's
 * antialiased {@code BILINEAR} resize does. Upscaling is plain bilinear interpolation; a region
 * equal to the whole image resized to its own size is returned exactly.
 */
public final class Resampling {
    private Resampling() {
    }

    /**
     * @param src source pixels, HWC
     * @param height source rows
     * @param width source columns
     * @param channels channels (same in and out)
     * @param outHeight rows wanted
     * @param outWidth columns wanted
     * @return the whole image resized, HWC
     */
    public static float[] resize(float[] src, int height, int width, int channels, int outHeight, int outWidth) {
        float[] dst = new float[outHeight * outWidth * channels];
        region(src, height, width, channels, 0, 0, height, width, dst, outHeight, outWidth, null);
        return dst;
    }

    /**
     * Resamples the region {@code [top, top + regionHeight) x [left, left + regionWidth)} (in
     * source pixels, fractional allowed) into {@code dst}.
     *
     * @param src source pixels, HWC
     * @param height source rows
     * @param width source columns
     * @param channels channels
     * @param top first row of the region
     * @param left first column of the region
     * @param regionHeight rows of the region (&gt; 0)
     * @param regionWidth columns of the region (&gt; 0)
     * @param dst output, {@code outHeight * outWidth * channels} values
     * @param outHeight output rows
     * @param outWidth output columns
     * @param scratch a buffer of at least {@code height * outWidth * channels} values, or null to allocate one
     */
    public static void region(float[] src, int height, int width, int channels, double top, double left, double regionHeight,
                              double regionWidth, float[] dst, int outHeight, int outWidth, float[] scratch) {
        Filter fx = Filter.of(width, left, regionWidth, outWidth);
        Filter fy = Filter.of(height, top, regionHeight, outHeight);
        int rowsNeeded = height;
        float[] tmp = scratch != null && scratch.length >= rowsNeeded * outWidth * channels ? scratch
                : new float[rowsNeeded * outWidth * channels];
        // Horizontal pass over the source rows the vertical filter reads.
        int rowLo = fy.first[0];
        int rowHi = fy.first[outHeight - 1] + fy.count[outHeight - 1];
        for (int y = rowLo; y < rowHi; y++) {
            int srcRow = y * width * channels;
            int tmpRow = y * outWidth * channels;
            for (int ox = 0; ox < outWidth; ox++) {
                int first = fx.first[ox];
                int n = fx.count[ox];
                int wOff = ox * fx.stride;
                for (int c = 0; c < channels; c++) {
                    float acc = 0;
                    for (int k = 0; k < n; k++) {
                        acc += fx.weights[wOff + k] * src[srcRow + (first + k) * channels + c];
                    }
                    tmp[tmpRow + ox * channels + c] = acc;
                }
            }
        }
        int rowLen = outWidth * channels;
        for (int oy = 0; oy < outHeight; oy++) {
            int first = fy.first[oy];
            int n = fy.count[oy];
            int wOff = oy * fy.stride;
            int dstRow = oy * rowLen;
            for (int i = 0; i < rowLen; i++) {
                float acc = 0;
                for (int k = 0; k < n; k++) {
                    acc += fy.weights[wOff + k] * tmp[(first + k) * rowLen + i];
                }
                dst[dstRow + i] = acc;
            }
        }
    }

    /** Per output position: the first source index, how many are read, and their normalized weights. */
    private static final class Filter {
        final int[] first;
        final int[] count;
        final float[] weights;
        final int stride;

        private Filter(int[] first, int[] count, float[] weights, int stride) {
            this.first = first;
            this.count = count;
            this.weights = weights;
            this.stride = stride;
        }

        static Filter of(int size, double start, double extent, int out) {
            double scale = extent / out;
            double support = Math.max(scale, 1.0);
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[out];
            int[] count = new int[out];
            float[] weights = new float[out * stride];
            double[] w = new double[(int) Math.ceil(2 * support) + 3];
            for (int o = 0; o < out; o++) {
                double center = start + (o + 0.5) * scale;
                int lo = (int) Math.floor(center - support);
                int hi = (int) Math.ceil(center + support);
                lo = Math.max(lo, 0);
                hi = Math.min(hi, size);
                double total = 0;
                int n;
                int firstIndex;
                int taps = Math.max(hi - lo, 0);
                for (int j = lo; j < hi; j++) {
                    double d = Math.abs((j + 0.5 - center) / support);
                    double v = d < 1 ? 1 - d : 0;
                    w[j - lo] = v;
                    total += v;
                }
                // Trim zero weights at both ends so the inner loops stay short.
                int a = 0;
                int b = taps;
                while (a < b && w[a] == 0) {
                    a++;
                }
                while (b > a && w[b - 1] == 0) {
                    b--;
                }
                if (a == b) {
                    // The region lies outside the image (or between samples): take the nearest pixel.
                    int nearest = Math.min(size - 1, Math.max(0, (int) Math.floor(center)));
                    first[o] = nearest;
                    count[o] = 1;
                    weights[o * stride] = 1f;
                    continue;
                }
                firstIndex = lo + a;
                n = b - a;
                first[o] = firstIndex;
                count[o] = n;
                for (int k = 0; k < n; k++) {
                    weights[o * stride + k] = (float) (w[a + k] / total);
                }
            }
            return new Filter(first, count, weights, stride);
        }
    }
}
