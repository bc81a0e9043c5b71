package io.pretext.api.model;

import io.pretext.api.tensor.HostTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a pretext task fitted on the training data and a checkpoint must keep so the encoder sees
 * new data as it saw the training data: tensors (column means, scales) and text (column names,
 * category names, vocabularies, as lists or maps of strings). The runtime stores it readably
 * beside the encoder: tensors under {@code preprocessing/NAME} in {@code encoder.safetensors}, text
 * as JSON strings under the same keys in the file's {@code __metadata__}, so
 * {@code safetensors.safe_open(f, "np").metadata()} shows the names.
 *
 * <p>Names are shared by the three kinds: one name holds a tensor, a list or a map. Immutable; the
 * {@code with...} methods return a new state.
 *
 * @param tensors float tensors by name, in insertion order
 * @param lists lists of strings by name (e.g. column names)
 * @param maps maps of strings by name (e.g. a vocabulary's token to id, ids written as text)
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public record PreprocessingState(Map<String, HostTensor.Floats> tensors, Map<String, List<String>> lists,
                                 Map<String, Map<String, String>> maps) {

    /** A task that fits nothing. */
    public static final PreprocessingState EMPTY = new PreprocessingState(Map.of(), Map.of(), Map.of());

    /** Copies the maps (order kept) and checks that no name is used twice or is blank and no value is null. */
    public PreprocessingState {
        tensors = ordered(tensors, "tensor");
        Map<String, List<String>> listCopy = new LinkedHashMap<>();
        lists.forEach((k, v) -> listCopy.put(k, List.copyOf(Objects.requireNonNull(v, () -> "list '" + k + "' is null"))));
        lists = ordered(listCopy, "list");
        Map<String, Map<String, String>> mapCopy = new LinkedHashMap<>();
        maps.forEach((k, v) -> mapCopy.put(k, ordered(v, "map '" + k + "' entry")));
        maps = ordered(mapCopy, "map");
        Set<String> seen = new LinkedHashSet<>();
        for (Set<String> names : List.of(tensors.keySet(), lists.keySet(), maps.keySet())) {
            for (String name : names) {
                if (name.isBlank()) {
                    throw new IllegalArgumentException("a preprocessing state name may not be blank");
                }
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("preprocessing state name '" + name + "' is used twice");
                }
            }
        }
    }

    private static <V> Map<String, V> ordered(Map<String, V> in, String what) {
        Map<String, V> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(Objects.requireNonNull(k, what + " name"),
                Objects.requireNonNull(v, () -> what + " '" + k + "' is null")));
        return Collections.unmodifiableMap(out);
    }

    /**
     * @param tensors float tensors by name
     * @return a state of tensors only
     */
    public static PreprocessingState ofTensors(Map<String, HostTensor.Floats> tensors) {
        return new PreprocessingState(tensors, Map.of(), Map.of());
    }

    /**
     * @param name a new name
     * @param tensor its value
     * @return this state and the tensor
     */
    public PreprocessingState withTensor(String name, HostTensor.Floats tensor) {
        Map<String, HostTensor.Floats> out = new LinkedHashMap<>(tensors);
        out.put(name, tensor);
        return new PreprocessingState(out, lists, maps);
    }

    /**
     * @param name a new name
     * @param values the strings, in order
     * @return this state and the list
     */
    public PreprocessingState withList(String name, List<String> values) {
        Map<String, List<String>> out = new LinkedHashMap<>(lists);
        out.put(name, values);
        return new PreprocessingState(tensors, out, maps);
    }

    /**
     * @param name a new name
     * @param entries the entries, in order
     * @return this state and the map
     */
    public PreprocessingState withMap(String name, Map<String, String> entries) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>(maps);
        out.put(name, entries);
        return new PreprocessingState(tensors, lists, out);
    }

    /** @return every name: tensors, then lists, then maps */
    public Set<String> names() {
        Set<String> out = new LinkedHashSet<>(tensors.keySet());
        out.addAll(lists.keySet());
        out.addAll(maps.keySet());
        return Collections.unmodifiableSet(out);
    }

    /** @return true when nothing is held */
    public boolean isEmpty() {
        return tensors.isEmpty() && lists.isEmpty() && maps.isEmpty();
    }

    /**
     * @param name a name
     * @return true when it holds a tensor, a list or a map
     */
    public boolean has(String name) {
        return tensors.containsKey(name) || lists.containsKey(name) || maps.containsKey(name);
    }

    /**
     * @param name a tensor's name
     * @return the tensor
     * @throws IllegalArgumentException naming what the state holds when there is no such tensor
     */
    public HostTensor.Floats tensor(String name) {
        return require(tensors.get(name), "tensor", name);
    }

    /**
     * @param name a list's name
     * @return the list
     * @throws IllegalArgumentException naming what the state holds when there is no such list
     */
    public List<String> list(String name) {
        return require(lists.get(name), "list", name);
    }

    /**
     * @param name a map's name
     * @return the map
     * @throws IllegalArgumentException naming what the state holds when there is no such map
     */
    public Map<String, String> map(String name) {
        return require(maps.get(name), "map", name);
    }

    private <V> V require(V value, String kind, String name) {
        if (value == null) {
            throw new IllegalArgumentException("the preprocessing state has no " + kind + " '" + name + "'; it has " + names());
        }
        return value;
    }
}
