package io.pretext.vision.source;

import io.pretext.api.data.Example;
import io.pretext.api.error.DataFormatException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** One streaming pass over every IDX image file of a data set, in order. */
final class IdxPass implements Iterator<Example> {
    private final List<IdxImageFile> files;
    private final List<byte[]> labels;
    private final Selection selection;
    private final ImageSettings settings;
    private final int[] target;
    private int fileIndex = -1;
    private int inFile;
    private int global;
    private DataInputStream in;
    private byte[] buffer;
    private Example next;

    /**
     * @param files the image files, scanned
     * @param labels one label array per image file, or none for unlabeled images
     * @param selection which images of all the files the pass yields
     * @param settings how images are converted
     * @param target the shape every image is converted to: height, width, channels
     */
    IdxPass(List<IdxImageFile> files, List<byte[]> labels, Selection selection, ImageSettings settings, int[] target) {
        this.files = files;
        this.labels = labels;
        this.selection = selection;
        this.settings = settings;
        this.target = target;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public Example next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Example e = next;
        next = null;
        return e;
    }

    private Example advance() {
        try {
            while (true) {
                if (in == null || inFile >= files.get(fileIndex).complete()) {
                    closeCurrent();
                    if (++fileIndex >= files.size()) {
                        return null;
                    }
                    IdxImageFile f = files.get(fileIndex);
                    in = new DataInputStream(SourceFiles.open(f.path()));
                    in.skipNBytes(f.headerBytes());
                    buffer = new byte[f.height() * f.width() * f.channels()];
                    inFile = 0;
                }
                IdxImageFile f = files.get(fileIndex);
                int index = global++;
                int local = inFile++;
                if (!selection.keeps(index)) {
                    in.skipNBytes(buffer.length);
                    continue;
                }
                in.readFully(buffer);
                float[] pixels = new float[buffer.length];
                for (int i = 0; i < buffer.length; i++) {
                    pixels[i] = (buffer[i] & 0xff) / 255f;
                }
                pixels = settings.convert(pixels, f.height(), f.width(), f.channels(), target);
                int label = labels.isEmpty() ? Example.NO_LABEL : labels.get(fileIndex)[local] & 0xff;
                return new Example.Image(target[0], target[1], target[2], pixels, label);
            }
        } catch (IOException e) {
            closeCurrent();
            Path p = files.get(Math.max(0, Math.min(fileIndex, files.size() - 1))).path();
            throw new DataFormatException(p, "cannot read (did the file change since it was opened?): " + e.getMessage(), e);
        }
    }

    private void closeCurrent() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                in = null;
            }
        }
    }
}
