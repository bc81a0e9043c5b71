package io.pretext.vision.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.Augmentation;
import io.pretext.api.ComponentRegistry;
import io.pretext.api.Provider;
import io.pretext.api.data.Example;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.error.UnknownComponentException;
import io.pretext.vision.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pipelines written as recipe text: parsing, errors, in-place rendering equal to the plain transforms. */
class ViewPipelineTest {
    static final ComponentRegistry AUGMENTATIONS = new ComponentRegistry() {
        private final List<Augmentation> all = ServiceLoader.load(Augmentation.class).stream().map(ServiceLoader.Provider::get).toList();

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
            List<T> out = new ArrayList<>();
            all.stream().filter(spi::isInstance).map(spi::cast).forEach(out::add);
            return out;
        }
    };

    @Test
    void parsesIdsWithOptionsAndRendersTheSameAsStepByStep() {
        String spec = "random-resized-crop(min-scale=0.3), horizontal-flip, color-jitter(brightness=0.5, hue=0.05), grayscale(probability=0.3),"
                + " gaussian-blur, solarize(probability=0.4), gaussian-noise(sigma=0.05), cutout(size=0.25)";
        ViewPipeline p = ViewPipeline.parse(spec, AUGMENTATIONS, "task.augmentations");
        assertEquals(List.of("random-resized-crop", "horizontal-flip", "color-jitter", "grayscale", "gaussian-blur", "solarize",
                "gaussian-noise", "cutout"), p.ids());
        Example.Image image = TestData.colourful((Example.Image) TestData.digits().get(3));
        int size = image.pixels().length;
        float[] batch = new float[3 * size];
        p.render(image, batch, size, new SplittableRandom(9));
        Example.Image viaApply = p.apply(image, new SplittableRandom(9));
        float[] rendered = java.util.Arrays.copyOfRange(batch, size, 2 * size);
        assertArrayEquals(viaApply.pixels(), rendered);
        assertEquals(0f, batch[0]);
        assertEquals(0f, batch[2 * size]);
        assertFalse(java.util.Arrays.equals(image.pixels(), rendered));
    }

    @Test
    void emptyTextIsNoAugmentation() {
        ViewPipeline p = ViewPipeline.parse("  ", AUGMENTATIONS, "task.augmentations");
        assertTrue(p.isEmpty());
        Example.Image image = (Example.Image) TestData.digits().get(0);
        float[] out = new float[64];
        p.render(image, out, 0, new SplittableRandom(1));
        assertArrayEquals(image.pixels(), out);
    }

    @Test
    void malformedTextAndBadOptionsAreNamed() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> ViewPipeline.parse("horizontal-flip(probability=0.5", AUGMENTATIONS, "task.augmentations"));
        assertEquals("task.augmentations", e.key());
        InvalidOptionException pair = assertThrows(InvalidOptionException.class,
                () -> ViewPipeline.parse("gaussian-noise(sigma)", AUGMENTATIONS, "task.augmentations"));
        assertTrue(pair.getMessage().contains("key=value"), pair.getMessage());
        InvalidOptionException option = assertThrows(InvalidOptionException.class,
                () -> ViewPipeline.parse("gaussian-noise(sigam=0.1)", AUGMENTATIONS, "task.augmentations"));
        assertEquals("task.augmentations.gaussian-noise.sigam", option.key());
        assertTrue(option.getMessage().contains("did you mean 'sigma'"), option.getMessage());
        assertThrows(UnknownComponentException.class, () -> ViewPipeline.parse("flip", AUGMENTATIONS, "task.augmentations"));
        assertThrows(InvalidOptionException.class, () -> ViewPipeline.parse("horizontal-flip,,cutout", AUGMENTATIONS, "k"));
        InvalidOptionException range = assertThrows(InvalidOptionException.class,
                () -> ViewPipeline.parse("gaussian-noise(sigma=-1)", AUGMENTATIONS, "task.noise"));
        assertEquals("task.noise.gaussian-noise.sigma", range.key(), "a value out of range is named where the user wrote it");
    }

    @Test
    void aForeignTransformMustKeepTheShape() {
        ViewPipeline shrinking = ViewPipeline.of(List.of("shrink"), List.of((e, r) -> new Example.Image(1, 1, 1, new float[] {0f}, -1)));
        Example.Image image = (Example.Image) TestData.digits().get(0);
        ShapeException e = assertThrows(ShapeException.class, () -> shrinking.apply(image, new SplittableRandom(0)));
        assertTrue(e.getMessage().contains("shrink"), e.getMessage());
        ViewPipeline inverting = ViewPipeline.of(List.of("invert"), List.of((e2, r) -> {
            Example.Image img = (Example.Image) e2;
            float[] p = img.pixels().clone();
            for (int i = 0; i < p.length; i++) {
                p[i] = 1 - p[i];
            }
            return new Example.Image(img.height(), img.width(), img.channels(), p, img.label());
        }));
        assertEquals(1f - image.pixels()[0], inverting.apply(image, new SplittableRandom(0)).pixels()[0]);
    }
}
