package io.pretext.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding keeps stored levels and stored channels, whatever the file's alpha band or content. */
class ImageFilesTest {

    @TempDir
    Path dir;

    private static int level(int x, int y) {
        return (x * 37 + y * 11) % 256;
    }

    @Test
    void greyWithAnAlphaBandKeepsTheGreyLevels() throws IOException {
        BufferedImage grey = new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY);
        java.awt.color.ColorSpace gray = java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY);
        java.awt.image.ComponentColorModel withAlpha = new java.awt.image.ComponentColorModel(gray, true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
        WritableRaster alphaRaster = withAlpha.createCompatibleWritableRaster(6, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                grey.getRaster().setSample(x, y, 0, level(x, y));
                alphaRaster.setSample(x, y, 0, level(x, y));
                alphaRaster.setSample(x, y, 1, 255);
            }
        }
        BufferedImage greyAlpha = new BufferedImage(withAlpha, alphaRaster, false, null);
        Path plain = dir.resolve("grey.png");
        Path alpha = dir.resolve("grey-alpha.png");
        ImageIO.write(grey, "png", plain.toFile());
        ImageIO.write(greyAlpha, "png", alpha.toFile());
        ImageFiles.Decoded a = ImageFiles.read(plain);
        ImageFiles.Decoded b = ImageFiles.read(alpha);
        assertEquals(1, a.channels());
        assertEquals(1, b.channels());
        assertArrayEquals(a.pixels(), b.pixels());
        assertEquals(level(5, 3) / 255f, b.pixels()[3 * 6 + 5], 1e-6f, "stored level, no sRGB conversion");
    }

    @Test
    void aColourImageWhosePixelsAreGreyStaysColour() throws IOException {
        BufferedImage rgb = new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                int v = level(x, y);
                rgb.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        Path file = dir.resolve("neutral.png");
        ImageIO.write(rgb, "png", file.toFile());
        ImageFiles.Decoded d = ImageFiles.read(file);
        assertEquals(3, d.channels(), "stored as colour: read as colour");
        assertEquals(level(2, 1) / 255f, d.pixels()[3 * (1 * 5 + 2) + 1], 1e-6f);
    }

    private static byte[] chunk(String type, byte[] data) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(data);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    @Test
    void aHugeOrEmptyFileIsRefusedBeforeDecodingWithWhatIsWrong() throws IOException {
        // a PNG header declaring 30000 x 30000 grey pixels: refused from the header, without decoding 900 MB
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(30_000).putInt(30_000).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        png.write(chunk("IHDR", ihdr.array()));
        png.write(chunk("IEND", new byte[0]));
        Path huge = dir.resolve("huge.png");
        java.nio.file.Files.write(huge, png.toByteArray());
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> ImageFiles.read(huge));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("30000x30000"), e.getMessage());
        Path empty = java.nio.file.Files.createFile(dir.resolve("empty.png"));
        IOException none = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> ImageFiles.read(empty));
        assertEquals("the file is empty", none.getMessage());
    }
}
