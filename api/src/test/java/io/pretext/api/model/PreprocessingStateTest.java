package io.pretext.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PreprocessingStateTest {

    @Test
    void holdsTensorsListsAndMapsUnderNamesOfTheirOwn() {
        PreprocessingState s = PreprocessingState.EMPTY
                .withTensor("t/mean", HostTensor.of(Shape.of(2), new float[] {1, 2}))
                .withList("t/columns", List.of("age", "colour"))
                .withMap("t/vocabulary", Map.of("red", "0"));
        assertEquals(Set.of("t/mean", "t/columns", "t/vocabulary"), s.names());
        assertEquals(List.of("age", "colour"), s.list("t/columns"));
        assertEquals("0", s.map("t/vocabulary").get("red"));
        assertTrue(s.has("t/mean"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.list("t/mean"));
        assertTrue(e.getMessage().contains("no list 't/mean'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.withList("t/mean", List.of("x")), "a name holds one thing");
        assertTrue(PreprocessingState.EMPTY.isEmpty());
    }

    @Test
    void isAnImmutableValue() {
        List<String> names = new ArrayList<>(List.of("a"));
        PreprocessingState s = PreprocessingState.EMPTY.withList("n", names);
        names.add("b");
        assertEquals(List.of("a"), s.list("n"));
        assertThrows(UnsupportedOperationException.class, () -> s.lists().put("m", List.of()));
        assertEquals(PreprocessingState.EMPTY.withList("n", List.of("a")), s);
    }
}
