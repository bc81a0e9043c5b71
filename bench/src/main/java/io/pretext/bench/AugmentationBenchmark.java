package io.pretext.bench;

import io.pretext.api.Augmentation;
import io.pretext.api.ComponentRegistry;
import io.pretext.api.Provider;
import io.pretext.api.data.Example;
import io.pretext.api.error.UnknownComponentException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.vision.augment.ViewPipeline;
import io.pretext.vision.image.Resampling;
import io.pretext.vision.source.IdxDataSource;
import io.pretext.vision.source.PixelCsvDataSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Host-side augmentation throughput of SimCLR view pipelines, in images (one view each) per second
 * on one core ({@code @Threads(1)}): what one loader worker delivers. Real images: the shipped 8x8
 * digits as they are ({@code digits}: the reference's affine + noise), 2,000 MNIST digits 28x28
 * ({@code mnist28}: the MNIST recipe's affine + noise), and the digits enlarged to 32x32 with a
 * colour cast ({@code rgb32}: SimCLR's CIFAR recipe with blur). Each invocation renders a batch of
 * 256 views into one batch array, as {@code SimClrTask.prepare} does. Run from the project folder:
 * {@code java -cp <classpath> org.openjdk.jmh.Main AugmentationBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class AugmentationBenchmark {
    private static final int BATCH = 256;

    /** Pipelines measured, by name. */
    static final Map<String, String> PIPELINES = Map.of(
            "digits", "random-affine(min-scale=0.75, degrees=15, translate=0.125), gaussian-noise(sigma=0.1)",
            "mnist28", "random-affine(min-scale=0.7, degrees=15, translate=0.1), gaussian-noise(sigma=0.1)",
            "rgb32", "random-resized-crop, horizontal-flip, color-jitter, grayscale, gaussian-blur");

    /** Which pipeline and images. */
    @Param({"digits", "mnist28", "rgb32"})
    public String pipeline;

    private List<Example.Image> images;
    private ViewPipeline views;
    private float[] batch;
    private SplittableRandom random;
    private int next;

    /** Loads the images (from {@code data/vision}, or {@code -Dpretext.data=DIR}) and builds the pipeline. */
    @Setup
    public void setUp() {
        Path data = Path.of(System.getProperty("pretext.data", "data/vision"));
        images = new ArrayList<>();
        List<Example> raw = pipeline.equals("mnist28")
                ? new IdxDataSource().open(data.resolve("mnist/t10k-images-idx3-ubyte.gz").toString(), Map.of("limit", 2000)).load()
                : new PixelCsvDataSource().open(data.resolve("digits.csv.gz"), Map.of()).load();
        for (Example e : raw) {
            Example.Image img = (Example.Image) e;
            images.add(pipeline.equals("rgb32") ? colour(img) : img);
        }
        ComponentRegistry registry = augmentations();
        OptionSpec spec = OptionSpec.components("pipeline", Augmentation.class, List.of(), "the augmentations of one view");
        Options options = Options.resolve("bench", List.of(spec), Map.of("pipeline", PIPELINES.get(pipeline)), registry);
        views = ViewPipeline.of(options.getComponents("pipeline"), registry);
        batch = new float[BATCH * images.get(0).pixels().length];
        random = new SplittableRandom(42);
    }

    private static Example.Image colour(Example.Image img) {
        float[] big = Resampling.resize(img.pixels(), 8, 8, 1, 32, 32);
        float[] rgb = new float[big.length * 3];
        for (int i = 0; i < big.length; i++) {
            rgb[3 * i] = big[i];
            rgb[3 * i + 1] = 0.3f + 0.5f * big[i] * (i % 7) / 7f;
            rgb[3 * i + 2] = 1f - 0.8f * big[i];
        }
        return new Example.Image(32, 32, 3, rgb, img.label());
    }

    /** A registry of the image augmentations on the class path. */
    static ComponentRegistry augmentations() {
        List<Augmentation> all = ServiceLoader.load(Augmentation.class).stream().map(ServiceLoader.Provider::get).toList();
        return new ComponentRegistry() {
            @Override
            public <T extends Provider> T get(Class<T> spi, String id) {
                for (Augmentation a : all) {
                    if (spi.isInstance(a) && a.id().equals(id)) {
                        return spi.cast(a);
                    }
                }
                throw new UnknownComponentException(spi.getSimpleName(), id, all.stream().map(Provider::id).toList());
            }

            @Override
            public <T extends Provider> List<T> all(Class<T> spi) {
                return all.stream().filter(spi::isInstance).map(spi::cast).toList();
            }
        };
    }

    /** @return a checksum of one batch of 256 views, rendered into one array */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float views() {
        int size = images.get(0).pixels().length;
        for (int i = 0; i < BATCH; i++) {
            Example.Image img = images.get(next);
            next = next + 1 == images.size() ? 0 : next + 1;
            views.render(img, batch, i * size, random);
        }
        return batch[0] + batch[batch.length - 1];
    }
}
