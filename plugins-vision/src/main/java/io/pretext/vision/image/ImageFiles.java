package io.pretext.vision.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads image files (PNG, JPEG, BMP, GIF) through ImageIO into HWC floats in [0, 1]. A decoder
 * warning (such as JPEG's "premature end of data", which ImageIO otherwise turns into a silently
 * grey-filled image) is an error here, so truncated files are caught rather than trained on.
 */
public final class ImageFiles {
    /** File extensions read, lower case. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    static {
        ImageIO.setUseCache(false); // decode in memory; no temporary files
    }

    private ImageFiles() {
    }

    /**
     * A decoded image before any resizing.
     *
     * @param height rows
     * @param width columns
     * @param channels 1 (grey) or 3 (colour)
     * @param pixels HWC in [0, 1]
     */
    public record Decoded(int height, int width, int channels, float[] pixels) {
    }

    /**
     * @param file a path
     * @return true when its extension is one this reader handles
     */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The most pixels a file may hold (a 10,000 x 10,000 photo); larger ones are refused before decoding. */
    public static final long MAX_PIXELS = 100_000_000L;

    /**
     * @param file an image file
     * @return its pixels, grey or colour as stored (alpha dropped; palette images expanded)
     * @throws IOException when the file cannot be read or decoded, or the decoder warns (truncated data)
     */
    public static Decoded read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a readable file");
        }
        try (ImageInputStream stream = ImageIO.createImageInputStream(file.toFile())) {
            if (stream == null) {
                throw new IOException("no image input stream");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new IOException(Files.size(file) == 0 ? "the file is empty"
                        : "not a PNG, JPEG, BMP or GIF image (no decoder recognizes its content)");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((IIOReadWarningListener) (source, warning) -> warnings.add(warning));
            try {
                reader.setInput(stream, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    // decoding it would need pixels x 4 bytes or more of heap before it could be resized
                    throw new IOException("is " + reader.getWidth(0) + "x" + reader.getHeight(0) + " pixels, more than the "
                            + MAX_PIXELS / 1_000_000 + " million an image may have here; shrink it first");
                }
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new IOException("corrupt or truncated image: " + String.join("; ", warnings));
                }
                return toFloats(image);
            } catch (RuntimeException e) {
                // Some decoders signal corrupt data with unchecked exceptions (e.g. ArrayIndexOutOfBounds in a GIF).
                throw new IOException("corrupt image: " + e, e);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * @param image a decoded image
     * @return its pixels: grey images (with or without alpha) keep their exact levels (no
     *     colour-space conversion) and one channel, as do palette images of grey colours;
     *     everything else is read as sRGB, three channels
     */
    public static Decoded toFloats(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)) {
            // Grey, with or without an alpha band: read the grey band itself. getRGB would pass it
            // through a linear-to-sRGB conversion and change the levels.
            int bits = model.getComponentSize(0);
            double max = (1L << bits) - 1;
            float[] out = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (float) (raster.getSample(x, y, 0) / max);
                }
            }
            return new Decoded(h, w, 1, out);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        // "As stored": a palette image whose colours are all grey is grey; any other colour image
        // stays colour even where its pixels happen to be grey, so one grey photo does not turn a
        // colour data set grey.
        if (model instanceof IndexColorModel palette && greyPalette(palette)) {
            float[] out = new float[h * w];
            for (int i = 0; i < argb.length; i++) {
                out[i] = (argb[i] & 0xff) / 255f;
            }
            return new Decoded(h, w, 1, out);
        }
        float[] out = new float[h * w * 3];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            out[3 * i] = ((p >> 16) & 0xff) / 255f;
            out[3 * i + 1] = ((p >> 8) & 0xff) / 255f;
            out[3 * i + 2] = (p & 0xff) / 255f;
        }
        return new Decoded(h, w, 3, out);
    }

    private static boolean greyPalette(IndexColorModel palette) {
        for (int i = 0; i < palette.getMapSize(); i++) {
            if (palette.getRed(i) != palette.getGreen(i) || palette.getGreen(i) != palette.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes an HWC image as PNG (8 bits per channel), e.g. to look at augmented views.
     *
     * @param file target file
     * @param height rows
     * @param width columns
     * @param channels 1 or 3
     * @param pixels HWC values, clamped to [0, 1]
     * @throws IOException when the file cannot be written
     */
    public static void writePng(Path file, int height, int width, int channels, float[] pixels) throws IOException {
        BufferedImage image = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * channels;
                if (channels == 1) {
                    image.getRaster().setSample(x, y, 0, byteOf(pixels[i]));
                } else {
                    image.setRGB(x, y, (byteOf(pixels[i]) << 16) | (byteOf(pixels[i + 1]) << 8) | byteOf(pixels[i + 2]));
                }
            }
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    private static int byteOf(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
