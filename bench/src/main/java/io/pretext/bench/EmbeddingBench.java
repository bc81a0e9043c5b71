package io.pretext.bench;

import io.pretext.api.Backend;
import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.Capability;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.backend.OnnxModel;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Forward;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Prints, as one JSON object, the inference throughput (embeddings/s) of the SCARF encoder
 * ({@code mlp} 16-256-256-256, ReLU) through the {@code tensorflow} backend's inference program
 * and through the ONNX model exported from it, served by ONNX Runtime ({@code openOnnx}, as
 * {@code pretext embed} serves it), at batch sizes 1, 32 and 1,024. Each measurement includes
 * moving the batch in and the embeddings out of Java memory. The two paths run in the same JVM in
 * interleaved rounds (so load from other processes hits both alike); the median round is reported.
 *
 * <p>Options: {@code --batches=1,32,1024 --rounds=15 --round-ms=200 --warmup-ms=1500 --intra=0 --inter=0}
 * (threads 0: each backend's default).
 */
public final class EmbeddingBench {
    private EmbeddingBench() {
    }

    /** One way of embedding a batch. */
    private record Route(String name, Function<Batch, HostTensor.Floats> run) {
    }

    /**
     * @param args options as above
     */
    public static void main(String[] args) throws Exception {
        int rounds = option(args, "rounds", 15);
        int roundMs = option(args, "round-ms", 200);
        int warmupMs = option(args, "warmup-ms", 1500);
        int intra = option(args, "intra", 0);
        int inter = option(args, "inter", 0);
        String batchList = text(args, "batches", "1,32,1024");
        BackendSettings settings = new BackendSettings(intra, inter, 42);

        Encoder mlp = find(Encoder.class, "mlp");
        EncoderModel encoder = mlp.create(Options.resolve("encoder", mlp.options(),
                Map.of("widths", List.of(256L, 256L, 256L), "activation", "relu", "final-activation", true)), Shape.of(16), "encoder");
        ParameterSet values = ParameterSet.initialize(encoder.parameters(), 42);
        Forward forward = (ops, params, inputs) -> Map.of(OnnxModel.OUTPUT, encoder.forward(ops, params, inputs.get(OnnxModel.INPUT), Mode.EVAL));
        Path dir = Files.createTempDirectory("pretext-embedding-bench");
        Path model = dir.resolve("scarf-encoder.onnx");

        Backend onnxBackend = ServiceLoader.load(Backend.class).stream().map(ServiceLoader.Provider::get)
                .filter(b -> b.hasCapability(Capability.EXPORT_ONNX)).findFirst().orElseThrow();
        StringBuilder json = new StringBuilder();
        try (BackendSession tf = find(Backend.class, "tensorflow").open(settings);
             BackendSession ort = onnxBackend.open(settings)) {
            ort.exportOnnx(encoder.parameters(), values, encoder.inputShape(), forward, Map.of(), model);
            try (InferenceProgram tfProgram = tf.compileInference(encoder.parameters(), forward, values);
                 OnnxModel onnx = ort.openOnnx(model)) {
                List<Route> paths = List.of(
                        new Route("tensorflow", b -> (HostTensor.Floats) tfProgram.run(b).get(OnnxModel.OUTPUT)),
                        new Route("onnxruntime", b -> (HostTensor.Floats) onnx.run(b).get(OnnxModel.OUTPUT)));
                json.append(String.format(Locale.ROOT, "{\"model\":\"scarf encoder mlp 16-256-256-256 relu, inference\","
                        + "\"intra_op_threads\":%d,\"inter_op_threads\":%d,\"rounds\":%d,\"round_ms\":%d,\"cores\":%d,\"results\":[",
                        intra, inter, rounds, roundMs, Runtime.getRuntime().availableProcessors()));
                String sep = "";
                for (String b : batchList.split(",")) {
                    int batch = Integer.parseInt(b.trim());
                    Batch input = batch(batch, 7);
                    double diff = maxAbsDiff(paths.get(0).run().apply(input), paths.get(1).run().apply(input));
                    Map<String, List<Double>> rates = new LinkedHashMap<>();
                    for (Route p : paths) {
                        rates.put(p.name(), new ArrayList<>());
                        measure(p, input, warmupMs); // warm-up: compilation, allocator pools, JIT
                    }
                    for (int r = 0; r < rounds; r++) {
                        for (int k = 0; k < paths.size(); k++) {
                            Route p = paths.get((r + k) % paths.size());
                            rates.get(p.name()).add(measure(p, input, roundMs) * batch);
                        }
                    }
                    double tfRate = median(rates.get("tensorflow"));
                    double ortRate = median(rates.get("onnxruntime"));
                    json.append(sep).append(String.format(Locale.ROOT,
                            "{\"batch\":%d,\"tensorflow_embeddings_per_s\":%.0f,\"onnxruntime_embeddings_per_s\":%.0f,"
                                    + "\"onnxruntime_over_tensorflow\":%.2f,\"max_abs_diff\":%.2e,\"tensorflow_rounds\":%s,\"onnxruntime_rounds\":%s}",
                            batch, tfRate, ortRate, ortRate / tfRate, diff, rounded(rates.get("tensorflow")), rounded(rates.get("onnxruntime"))));
                    sep = ",";
                }
                json.append("]}");
            }
        } finally {
            Files.deleteIfExists(model);
            Files.deleteIfExists(dir);
        }
        System.out.println(json);
    }

    /** @return calls per second of one path over about {@code millis} */
    private static double measure(Route p, Batch input, int millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long t0 = System.nanoTime();
        long calls = 0;
        float sink = 0;
        do {
            sink += p.run().apply(input).data()[0];
            calls++;
        } while (System.nanoTime() < deadline);
        if (Float.isNaN(sink)) {
            throw new IllegalStateException("NaN embedding");
        }
        return calls / ((System.nanoTime() - t0) / 1e9);
    }

    private static Batch batch(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble(-1, 1) * 1.7);
        }
        return new Batch(Map.of(OnnxModel.INPUT, HostTensor.of(Shape.of(rows, 16), x)));
    }

    private static double maxAbsDiff(HostTensor.Floats a, HostTensor.Floats b) {
        double m = 0;
        for (int i = 0; i < a.data().length; i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }

    private static <T extends io.pretext.api.Provider> T find(Class<T> spi, String id) {
        for (T p : ServiceLoader.load(spi)) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalStateException("no " + spi.getSimpleName() + " '" + id + "' on the class path");
    }

    private static int option(String[] args, String name, int fallback) {
        String v = text(args, name, null);
        return v == null ? fallback : Integer.parseInt(v);
    }

    private static String text(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return a.substring(name.length() + 3);
            }
        }
        return fallback;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String rounded(List<Double> values) {
        return java.util.Arrays.toString(values.stream().mapToLong(Math::round).toArray());
    }
}
