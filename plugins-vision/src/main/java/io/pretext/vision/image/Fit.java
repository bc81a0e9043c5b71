package io.pretext.vision.image;

/** How an image of another aspect ratio is brought to the recipe's height and width. */
public enum Fit {
    /** Resize to the target size, ignoring the aspect ratio. */
    STRETCH,
    /** Crop the centre to the target aspect ratio, then resize. */
    CROP,
    /** Resize to fit inside the target size keeping the aspect ratio, then pad with zeros (black). */
    PAD;

    /**
     * Brings an HWC image to the target size.
     *
     * @param pixels HWC values
     * @param height rows
     * @param width columns
     * @param channels channels
     * @param outHeight target rows
     * @param outWidth target columns
     * @return the fitted HWC image ({@code pixels} itself when the size already matches)
     */
    public float[] apply(float[] pixels, int height, int width, int channels, int outHeight, int outWidth) {
        if (height == outHeight && width == outWidth) {
            return pixels;
        }
        float[] out = new float[outHeight * outWidth * channels];
        switch (this) {
            case STRETCH -> Resampling.region(pixels, height, width, channels, 0, 0, height, width, out, outHeight, outWidth, null);
            case CROP -> {
                double target = (double) outWidth / outHeight;
                double regionWidth = Math.min(width, height * target);
                double regionHeight = Math.min(height, width / target);
                Resampling.region(pixels, height, width, channels, (height - regionHeight) / 2, (width - regionWidth) / 2, regionHeight,
                        regionWidth, out, outHeight, outWidth, null);
            }
            case PAD -> {
                double scale = Math.min((double) outHeight / height, (double) outWidth / width);
                int h = Math.max(1, (int) Math.round(height * scale));
                int w = Math.max(1, (int) Math.round(width * scale));
                float[] inner = Resampling.resize(pixels, height, width, channels, h, w);
                int top = (outHeight - h) / 2;
                int left = (outWidth - w) / 2;
                for (int y = 0; y < h; y++) {
                    System.arraycopy(inner, y * w * channels, out, ((top + y) * outWidth + left) * channels, w * channels);
                }
            }
            default -> throw new IllegalStateException(name());
        }
        return out;
    }
}
