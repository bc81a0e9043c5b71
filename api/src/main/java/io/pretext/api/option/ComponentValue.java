package io.pretext.api.option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One element of a {@link OptionType#COMPONENT_LIST} option: the id of a provider and its options,
 * resolved against what that provider declares. Its options name their keys with the element's
 * index, e.g. {@code task.augmentations[1].sigma}.
 *
 * @param id the provider's id
 * @param options the element's validated options, defaults filled in
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public record ComponentValue(String id, Options options) {

    /** Rejects nulls. */
    public ComponentValue {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(options, "options");
    }

    /** @return the element as a recipe writes it: {@code id} first, then every option (defaults included) */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.putAll(options.asMap());
        return out;
    }
}
