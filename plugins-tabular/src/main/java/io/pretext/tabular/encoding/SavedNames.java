package io.pretext.tabular.encoding;

import io.pretext.api.model.PreprocessingState;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of a table's columns, or of one column's categories, as a saved encoding holds them:
 * as text, or in encoders saved before the preprocessing state could hold text, as name hashes.
 * Either way they find the same names in new data.
 */
sealed interface SavedNames permits SavedNames.Text, SavedNames.Hashed {

    /** @return how many names are saved */
    int size();

    /**
     * @param names the names in the data at hand
     * @return for each saved name, the index of the same name in {@code names} (the first, if it
     *     occurs twice), or -1 where it does not occur
     */
    int[] find(List<String> names);

    /**
     * @param state a state being written
     * @param key the entry's name
     * @return the state with these names under {@code key}, in the form they were saved in
     */
    PreprocessingState addTo(PreprocessingState state, String key);

    /** @return the names as a user reads them, where they are known */
    String describe();

    /**
     * Names as text, as every encoding fitted now saves them.
     *
     * @param names the names, in order
     */
    record Text(List<String> names) implements SavedNames {
        /** Copies the list. */
        public Text {
            names = List.copyOf(names);
        }

        @Override
        public int size() {
            return names.size();
        }

        @Override
        public int[] find(List<String> here) {
            Map<String, Integer> index = new HashMap<>();
            for (int k = here.size() - 1; k >= 0; k--) {
                index.put(here.get(k), k);
            }
            return names.stream().mapToInt(n -> index.getOrDefault(n, -1)).toArray();
        }

        @Override
        public PreprocessingState addTo(PreprocessingState state, String key) {
            return state.withList(key, names);
        }

        @Override
        public String describe() {
            return String.join(", ", names);
        }
    }

    /**
     * Names as hashes, as encoders saved before text state held them: [n, 2] 48-bit FNV-1a hashes
     * cut into two 24-bit halves (each exact in float32), or, older still, [n] 24-bit hashes.
     *
     * @param hashes the saved tensor, kept as it is so a re-saved encoding writes it unchanged
     */
    record Hashed(HostTensor.Floats hashes) implements SavedNames {
        /** Accepts the two layouts only. */
        public Hashed {
            int rank = hashes.shape().rank();
            if (rank != 1 && !(rank == 2 && hashes.shape().dim(1) == 2)) {
                throw new IllegalArgumentException("name hashes are [n] or [n, 2], got " + hashes.shape());
            }
        }

        @Override
        public int size() {
            return hashes.shape().dim(0);
        }

        @Override
        public int[] find(List<String> here) {
            boolean legacy = hashes.shape().rank() == 1;
            long[] mine = keys(hashes);
            long[] theirs = keys(legacy ? hashes24(here) : hashes48(here));
            Map<Long, Integer> index = new HashMap<>();
            for (int k = theirs.length - 1; k >= 0; k--) {
                index.put(theirs[k], k);
            }
            int[] out = new int[mine.length];
            for (int j = 0; j < mine.length; j++) {
                out[j] = index.getOrDefault(mine[j], -1);
            }
            return out;
        }

        @Override
        public PreprocessingState addTo(PreprocessingState state, String key) {
            return state.withTensor(key, HostTensor.of(hashes.shape(), hashes.data().clone()));
        }

        @Override
        public String describe() {
            return size() + " names saved as hashes";
        }

        /** One key per name from either layout. */
        private static long[] keys(HostTensor.Floats hashes) {
            float[] v = hashes.data();
            if (hashes.shape().rank() == 1) {
                long[] out = new long[v.length];
                for (int k = 0; k < v.length; k++) {
                    out[k] = (long) v[k];
                }
                return out;
            }
            long[] out = new long[v.length / 2];
            for (int k = 0; k < out.length; k++) {
                out[k] = (long) v[2 * k] | (long) v[2 * k + 1] << 24;
            }
            return out;
        }

        /**
         * @param names names
         * @return their 48-bit hashes, [n, 2], as encoders saved them before names were text
         */
        static HostTensor.Floats hashes48(List<String> names) {
            float[] out = new float[2 * names.size()];
            for (int k = 0; k < names.size(); k++) {
                long h = 0xcbf29ce484222325L;
                for (byte b : names.get(k).getBytes(StandardCharsets.UTF_8)) {
                    h ^= b & 0xff;
                    h *= 0x100000001b3L;
                }
                out[2 * k] = h & 0xffffff;
                out[2 * k + 1] = (h >>> 24) & 0xffffff;
            }
            return HostTensor.of(Shape.of(names.size(), 2), out);
        }

        /**
         * @param names names
         * @return their 24-bit hashes, [n], as encoders saved category names before 48-bit hashes
         */
        static HostTensor.Floats hashes24(List<String> names) {
            float[] out = new float[names.size()];
            for (int k = 0; k < out.length; k++) {
                int h = 0x811c9dc5;
                for (byte b : names.get(k).getBytes(StandardCharsets.UTF_8)) {
                    h ^= b & 0xff;
                    h *= 0x01000193;
                }
                out[k] = h & 0xffffff;
            }
            return HostTensor.of(Shape.of(names.size()), out);
        }
    }
}
