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
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.vision.TestData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pipelines as a recipe writes them, in the list form and the text form: the same components, errors
 * that name the indexed key, in-place rendering equal to the plain transforms.
 */
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

    private static final OptionSpec PIPELINE = OptionSpec.components("augmentations", Augmentation.class, List.of(), "a view");

    private static Options resolve(Object written) {
        return Options.resolve("task", List.of(PIPELINE), Map.of("augmentations", written), AUGMENTATIONS);
    }

    private static ViewPipeline pipeline(Object written) {
        return ViewPipeline.of(resolve(written).getComponents("augmentations"), AUGMENTATIONS);
    }

    private static Map<String, Object> step(String id, Object... options) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        for (int k = 0; k < options.length; k += 2) {
            out.put((String) options[k], options[k + 1]);
        }
        return out;
    }

    private static final List<Map<String, Object>> EVERY_STEP = List.of(step("random-resized-crop", "min-scale", 0.3),
            step("horizontal-flip"), step("color-jitter", "brightness", 0.5, "hue", 0.05), step("grayscale", "probability", 0.3),
            step("gaussian-blur"), step("solarize", "probability", 0.4), step("gaussian-noise", "sigma", 0.05), step("cutout", "size", 0.25));

    private static final String EVERY_STEP_TEXT = "random-resized-crop(min-scale=0.3), horizontal-flip, color-jitter(brightness=0.5, "
            + "hue=0.05), grayscale(probability=0.3), gaussian-blur, solarize(probability=0.4), gaussian-noise(sigma=0.05), cutout(size=0.25)";

    @Test
    void buildsEveryComponentInOrderAndRendersTheSameAsStepByStep() {
        ViewPipeline p = pipeline(EVERY_STEP);
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
    void theTextFormResolvesToTheSameComponentsAndViews() {
        assertEquals(resolve(EVERY_STEP).asMap(), resolve(EVERY_STEP_TEXT).asMap());
        List<Object> mixed = List.of("random-resized-crop(min-scale=0.3)", "horizontal-flip", EVERY_STEP.get(2), "grayscale(probability=0.3)",
                "gaussian-blur", "solarize(probability=0.4)", step("gaussian-noise", "sigma", "0.05"), "cutout(size=0.25)");
        assertEquals(resolve(EVERY_STEP).asMap(), resolve(mixed).asMap(), "a list element may be written as text");
        Example.Image image = TestData.colourful((Example.Image) TestData.digits().get(5));
        assertArrayEquals(pipeline(EVERY_STEP).apply(image, new SplittableRandom(4)).pixels(),
                pipeline(EVERY_STEP_TEXT).apply(image, new SplittableRandom(4)).pixels());
    }

    @Test
    void resolvedElementsKeepEveryOptionWithDefaultsAsARecipeWritesThem() {
        Options o = resolve(List.of(step("gaussian-noise", "sigma", 0.2)));
        assertEquals(List.of(Map.of("id", "gaussian-noise", "sigma", 0.2, "probability", 1.0)), o.asMap().get("augmentations"));
        assertEquals("task.augmentations[0].sigma", o.getComponents("augmentations").get(0).options().key("sigma"));
        assertEquals(o.asMap(), resolve(o.asMap().get("augmentations")).asMap(), "what a run stores resolves to itself");
    }

    @Test
    void emptyIsNoAugmentation() {
        for (Object empty : List.of(List.of(), "  ")) {
            ViewPipeline p = pipeline(empty);
            assertTrue(p.isEmpty());
            Example.Image image = (Example.Image) TestData.digits().get(0);
            float[] out = new float[64];
            p.render(image, out, 0, new SplittableRandom(1));
            assertArrayEquals(image.pixels(), out);
        }
    }

    @Test
    void errorsNameTheIndexedKeyInBothForms() {
        List<List<Object>> cases = List.of(
                List.of(List.of(step("horizontal-flip"), step("gaussian-noise", "sigam", 0.1)), "horizontal-flip, gaussian-noise(sigam=0.1)",
                        "task.augmentations[1].sigam", "did you mean 'sigma'"),
                List.of(List.of(step("horizontal-flip"), step("gaussian-noise", "sigma", -1)), "horizontal-flip, gaussian-noise(sigma=-1)",
                        "task.augmentations[1].sigma", "-1 is out of range; allowed: 0 <= value <= 10"),
                List.of(List.of(step("cutout", "count", 5000)), "cutout(count=5000)",
                        "task.augmentations[0].count", "5000 is out of range; allowed: 0 <= value <= 1000"),
                List.of(List.of(step("random-affine", "min-scale", 0.9, "max-scale", 0.8)), "random-affine(min-scale=0.9, max-scale=0.8)",
                        "task.augmentations[0].min-scale", "exceeds task.augmentations[0].max-scale"));
        for (List<Object> c : cases) {
            for (Object written : List.of(c.get(0), c.get(1))) {
                InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> pipeline(written));
                assertEquals(c.get(2), e.key(), String.valueOf(written));
                assertTrue(e.getMessage().contains((String) c.get(3)), e.getMessage());
            }
        }
    }

    @Test
    void anUnknownAugmentationGetsTheKnownIdsAndASuggestion() {
        for (Object written : List.of(List.of(step("horizontal-flip"), step("gausian-noise")), "horizontal-flip, gausian-noise")) {
            UnknownComponentException e = assertThrows(UnknownComponentException.class, () -> resolve(written));
            assertEquals("gausian-noise", e.id());
            assertTrue(e.getMessage().contains("task.augmentations[1].id"), e.getMessage());
            assertTrue(e.getMessage().contains("known: color-jitter, cutout,"), e.getMessage());
            assertTrue(e.getMessage().contains("did you mean 'gaussian-noise'?"), e.getMessage());
        }
        InvalidOptionException noId = assertThrows(InvalidOptionException.class, () -> resolve(List.of(Map.of("sigma", 0.1))));
        assertEquals("task.augmentations[0].id", noId.key());
        assertTrue(noId.getMessage().contains("known: color-jitter"), noId.getMessage());
    }

    @Test
    void malformedTextIsNamed() {
        for (String text : List.of("horizontal-flip(probability=0.5", "gaussian-noise(sigma)", "horizontal-flip,,cutout", "Flip")) {
            InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> resolve(text));
            assertEquals("task.augmentations", e.key(), text);
        }
        InvalidOptionException pair = assertThrows(InvalidOptionException.class, () -> resolve("gaussian-noise(sigma)"));
        assertTrue(pair.getMessage().contains("key=value"), pair.getMessage());
        InvalidOptionException notAList = assertThrows(InvalidOptionException.class, () -> resolve(Map.of("id", "cutout")));
        assertTrue(notAList.getMessage().contains("write a list"), notAList.getMessage());
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
