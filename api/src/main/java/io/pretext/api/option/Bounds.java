package io.pretext.api.option;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The allowed range of an option's value, declared with it and checked by {@link Options#resolve}:
 * a lower and an upper limit on a number (on each element of an integer list), and a least and
 * greatest length of a list or text. Declared through {@link OptionSpec}'s {@code atLeast},
 * {@code greaterThan}, {@code atMost}, {@code lessThan}, {@code between}, {@code nonEmpty} and
 * {@code length}.
 *
 * @param lower the lower limit of a number, or of each element of an integer list
 * @param upper the upper limit of a number, or of each element of an integer list
 * @param minLength the least number of elements of a list, or of characters of a text
 * @param maxLength the greatest number of elements of a list ({@link Integer#MAX_VALUE}: no limit)
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public record Bounds(Optional<Limit> lower, Optional<Limit> upper, int minLength, int maxLength) {

    /** No limits. */
    public static final Bounds NONE = new Bounds(Optional.empty(), Optional.empty(), 0, Integer.MAX_VALUE);

    /**
     * One end of a numeric range.
     *
     * @param value the limit
     * @param inclusive whether the limit itself is allowed
     */
    public record Limit(double value, boolean inclusive) {
        /** Rejects a limit that is not a finite number. */
        public Limit {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a limit must be a finite number, got " + value);
            }
        }
    }

    /** Checks that the limits describe a range with room in it. */
    public Bounds {
        if (minLength < 0 || maxLength < minLength) {
            throw new IllegalArgumentException("length limits " + minLength + ".." + maxLength + " are not a range");
        }
        if (lower.isPresent() && upper.isPresent()) {
            Limit lo = lower.get();
            Limit hi = upper.get();
            boolean empty = lo.value() > hi.value() || lo.value() == hi.value() && !(lo.inclusive() && hi.inclusive());
            if (empty) {
                throw new IllegalArgumentException("limits " + lo + " and " + hi + " allow no value");
            }
        }
    }

    /** @return true when nothing is limited */
    public boolean isNone() {
        return equals(NONE);
    }

    /** @return true when a number (or each element of an integer list) is limited */
    public boolean limitsValues() {
        return lower.isPresent() || upper.isPresent();
    }

    /** @return true when the length of a list or text is limited */
    public boolean limitsLength() {
        return minLength > 0 || maxLength < Integer.MAX_VALUE;
    }

    Bounds withLower(Limit limit) {
        return new Bounds(Optional.of(limit), upper, minLength, maxLength);
    }

    Bounds withUpper(Limit limit) {
        return new Bounds(lower, Optional.of(limit), minLength, maxLength);
    }

    Bounds withLength(int min, int max) {
        return new Bounds(lower, upper, min, max);
    }

    /**
     * @param value a number
     * @return true when it lies within the limits
     */
    public boolean allows(double value) {
        boolean aboveLower = lower.map(l -> l.inclusive() ? value >= l.value() : value > l.value()).orElse(true);
        boolean belowUpper = upper.map(u -> u.inclusive() ? value <= u.value() : value < u.value()).orElse(true);
        return aboveLower && belowUpper;
    }

    /**
     * @param length the length of a list or text
     * @return true when it lies within the length limits
     */
    public boolean allowsLength(int length) {
        return length >= minLength && length <= maxLength;
    }

    /** @return the numeric range as a user reads it, e.g. {@code 0 < value < 1} or {@code value >= 1}; empty when unlimited */
    public String describeValues() {
        if (lower.isPresent() && upper.isPresent()) {
            return number(lower.get().value()) + (lower.get().inclusive() ? " <= " : " < ") + "value"
                    + (upper.get().inclusive() ? " <= " : " < ") + number(upper.get().value());
        }
        if (lower.isPresent()) {
            return "value" + (lower.get().inclusive() ? " >= " : " > ") + number(lower.get().value());
        }
        return upper.map(u -> "value" + (u.inclusive() ? " <= " : " < ") + number(u.value())).orElse("");
    }

    /**
     * @param unit what is counted, singular (e.g. {@code value}, {@code character})
     * @return the length range as a user reads it, e.g. {@code at least 1 value}; empty when unlimited
     */
    public String describeLength(String unit) {
        if (minLength == maxLength) {
            return minLength + " " + plural(unit, minLength);
        }
        if (maxLength == Integer.MAX_VALUE) {
            return minLength == 0 ? "" : "at least " + minLength + " " + plural(unit, minLength);
        }
        if (minLength == 0) {
            return "at most " + maxLength + " " + plural(unit, maxLength);
        }
        return minLength + " to " + maxLength + " " + plural(unit, 2);
    }

    /**
     * @param type the option's type
     * @return the whole range as {@code pretext plugins} shows it, e.g. {@code 0 < value < 1} or
     *     {@code at least 1 value; each value >= 1}; empty when unlimited
     */
    public String describe(OptionType type) {
        List<String> parts = new ArrayList<>();
        String unit = type == OptionType.TEXT ? "character" : type == OptionType.COMPONENT_LIST ? "component" : "value";
        if (limitsLength()) {
            parts.add(type == OptionType.TEXT && minLength == 1 && maxLength == Integer.MAX_VALUE ? "not empty" : describeLength(unit));
        }
        if (limitsValues()) {
            parts.add(type == OptionType.INTEGER_LIST ? "each " + describeValues() : describeValues());
        }
        return String.join("; ", parts);
    }

    /**
     * @param value a number
     * @return it as a user writes it: {@code 0}, {@code 0.5}, {@code 10000000}, {@code 0.00001}
     */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String plural(String unit, int count) {
        return count == 1 ? unit : unit + "s";
    }
}
