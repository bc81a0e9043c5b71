package io.pretext.onnx;

import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.backend.OnnxModel;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Forward;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;

/** Shared test data: real table rows, encoders from the classpath, parameters that look trained. */
final class Fixtures {
    private Fixtures() {
    }

    /** The letter-recognition table: 16 integer features per row, standardized per column here. */
    static final Path LETTER = Path.of("../../data/tabular/letter-recognition.csv");

    /**
     * @param rows how many rows from the top of the file
     * @return [rows, 16] standardized features (column statistics of those rows)
     */
    static HostTensor.Floats letterRows(int rows) {
        List<String> lines;
        try (var stream = Files.lines(LETTER)) {
            lines = stream.limit(rows).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        float[] data = new float[rows * 16];
        for (int r = 0; r < rows; r++) {
            String[] f = lines.get(r).split(",");
            for (int c = 0; c < 16; c++) {
                data[r * 16 + c] = Float.parseFloat(f[c + 1]);
            }
        }
        for (int c = 0; c < 16; c++) {
            double mean = 0;
            double sq = 0;
            for (int r = 0; r < rows; r++) {
                mean += data[r * 16 + c];
            }
            mean /= rows;
            for (int r = 0; r < rows; r++) {
                double d = data[r * 16 + c] - mean;
                sq += d * d;
            }
            double std = Math.sqrt(sq / rows) + 1e-6;
            for (int r = 0; r < rows; r++) {
                data[r * 16 + c] = (float) ((data[r * 16 + c] - mean) / std);
            }
        }
        return HostTensor.of(Shape.of(rows, 16), data);
    }

    /** scikit-learn's digits: 8x8 grey images, 64 values in 0..16 and the label per line. */
    static final Path DIGITS = Path.of("../../data/vision/digits.csv.gz");

    /**
     * @param rows how many images from the top of the file
     * @return [rows, 8, 8, 1] pixels scaled to [0, 1]
     */
    static HostTensor.Floats digits(int rows) {
        float[] data = new float[rows * 64];
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(DIGITS)), java.nio.charset.StandardCharsets.US_ASCII))) {
            for (int r = 0; r < rows; r++) {
                String[] f = in.readLine().split(",");
                for (int p = 0; p < 64; p++) {
                    data[r * 64 + p] = Float.parseFloat(f[p]) / 16f;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HostTensor.of(Shape.of(rows, 8, 8, 1), data);
    }

    /** @return every encoder provider on the test classpath */
    static List<Encoder> encoders() {
        List<Encoder> out = new ArrayList<>();
        ServiceLoader.load(Encoder.class).forEach(out::add);
        return out;
    }

    /** The MLP of the SCARF recipes: 16 inputs, three layers of 256. */
    static EncoderModel mlp(Map<String, Object> options) {
        Encoder mlp = encoders().stream().filter(e -> e.id().equals("mlp")).findFirst().orElseThrow();
        return mlp.create(Options.resolve("encoder", mlp.options(), options), Shape.of(16), "encoder");
    }

    /**
     * Parameters drawn from the encoder's initializers, then moved off their starting values by
     * noise of 30% of each parameter's own scale (gamma and beta off 1 and 0, running statistics
     * off 0 and 1), so that every parameter matters while activations keep a trained network's size.
     */
    static ParameterSet trainedLooking(EncoderModel encoder, long seed) {
        ParameterSet initial = ParameterSet.initialize(encoder.parameters(), seed);
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, HostTensor.Floats> out = new LinkedHashMap<>();
        for (ParamSpec spec : encoder.parameters()) {
            float[] v = initial.get(spec.name()).data().clone();
            double sq = 0;
            for (float x : v) {
                sq += x * x;
            }
            double rms = Math.sqrt(sq / Math.max(1, v.length));
            double scale = 0.3 * (rms > 0 && rms != 1 ? rms : 1);
            boolean positive = spec.name().endsWith("running_var");
            for (int i = 0; i < v.length; i++) {
                double noise = random.nextDouble(-scale, scale);
                v[i] = positive ? (float) (0.5 + Math.abs(v[i] + noise)) : (float) (v[i] + noise);
            }
            out.put(spec.name(), HostTensor.of(spec.shape(), v));
        }
        return new ParameterSet(out);
    }

    /** The encoder's forward in evaluation mode, reading the exported input and writing the exported output. */
    static Forward embedding(EncoderModel encoder) {
        return (ops, params, inputs) -> Map.of(OnnxModel.OUTPUT, encoder.forward(ops, params, inputs.get(OnnxModel.INPUT), Mode.EVAL));
    }

    /** @return a batch with one input under the exported input's name */
    static Batch batch(HostTensor x) {
        return new Batch(Map.of(OnnxModel.INPUT, x));
    }

    /** @return the first {@code n} rows of a [rows, ...] tensor */
    static HostTensor.Floats head(HostTensor.Floats x, int n) {
        int width = (int) (x.shape().size() / x.shape().dim(0));
        float[] d = new float[n * width];
        System.arraycopy(x.data(), 0, d, 0, d.length);
        return HostTensor.of(x.shape().dropFirst().prepend(n), d);
    }

    /** @return the largest absolute difference between two float arrays of equal length */
    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** @return the largest absolute difference between a float array and doubles */
    static double maxAbsDiff(float[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
