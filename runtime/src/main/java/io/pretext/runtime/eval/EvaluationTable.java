package io.pretext.runtime.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.PretextException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Results of an evaluation: one row per feature set (e.g. {@code raw}, {@code random},
 * {@code pretrained}, or any name), one column per protocol and label fraction (e.g.
 * {@code linear-probe 100%}, {@code knn 10%}), each cell an accuracy as mean ± standard deviation
 * over n repeats. Stored as a flat list of cells (rows and columns in first-seen order), which is
 * also its JSON form; renders as Markdown for reports and the console.
 *
 * @param title what was evaluated (dataset, split, seed), shown above the Markdown table
 * @param cells the measurements; at most one per (feature set, protocol, label fraction)
 */
public record EvaluationTable(String title, List<Cell> cells) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One measurement.
     *
     * @param featureSet the row: which features were evaluated
     * @param protocol the protocol id, e.g. {@code linear-probe}
     * @param labelFraction share of training labels used, in (0, 1]
     * @param score accuracy over the repeats
     */
    public record Cell(String featureSet, String protocol, double labelFraction, Score score) {
        /**
         * Validates the fields.
         *
         * @param featureSet the row
         * @param protocol the protocol id
         * @param labelFraction share of training labels used, in (0, 1]
         * @param score accuracy over the repeats
         */
        public Cell {
            Objects.requireNonNull(featureSet, "featureSet");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(score, "score");
            if (!(labelFraction > 0 && labelFraction <= 1)) {
                throw new InvalidOptionException("label-fractions", "each fraction must be in (0, 1], was "
                        + labelFraction);
            }
        }
    }

    /**
     * A column of the table.
     *
     * @param protocol the protocol id
     * @param labelFraction share of training labels used
     */
    public record Column(String protocol, double labelFraction) {
        /** @return e.g. {@code linear-probe 10%} */
        public String header() {
            return protocol + " " + percent(labelFraction);
        }
    }

    /**
     * Validates the cells: no two for the same feature set, protocol and fraction.
     *
     * @param title what was evaluated; null becomes empty
     * @param cells the measurements
     */
    public EvaluationTable {
        title = title == null ? "" : title;
        cells = List.copyOf(cells);
        Set<Object> seen = new HashSet<>();
        for (Cell cell : cells) {
            if (!seen.add(List.of(cell.featureSet(), cell.protocol(), cell.labelFraction()))) {
                throw new PretextException("evaluation table: two results for feature set '" + cell.featureSet()
                        + "', protocol '" + cell.protocol() + "' at " + percent(cell.labelFraction()) + " labels");
            }
        }
    }

    /**
     * @param title what was evaluated, shown above the table
     * @return an empty builder
     */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** @return the row names in first-seen order */
    public List<String> featureSets() {
        Set<String> names = new LinkedHashSet<>();
        for (Cell cell : cells) {
            names.add(cell.featureSet());
        }
        return List.copyOf(names);
    }

    /** @return the columns: protocols in first-seen order, each with its fractions from largest to smallest */
    public List<Column> columns() {
        List<String> protocols = new ArrayList<>(new LinkedHashSet<>(cells.stream().map(Cell::protocol).toList()));
        Set<Column> columns = new LinkedHashSet<>();
        cells.stream()
                .map(c -> new Column(c.protocol(), c.labelFraction()))
                .sorted(Comparator.<Column>comparingInt(c -> protocols.indexOf(c.protocol()))
                        .thenComparing(Column::labelFraction, Comparator.reverseOrder()))
                .forEach(columns::add);
        return List.copyOf(columns);
    }

    /**
     * @param featureSet row name
     * @param protocol protocol id
     * @param labelFraction share of labels
     * @return the score in that cell, if measured
     */
    public Optional<Score> score(String featureSet, String protocol, double labelFraction) {
        return cells.stream()
                .filter(c -> c.featureSet().equals(featureSet) && c.protocol().equals(protocol)
                        && c.labelFraction() == labelFraction)
                .map(Cell::score)
                .findFirst();
    }

    /**
     * Renders accuracies in percent, one decimal: {@code 91.5 ± 0.5 (n=5)}; a single measurement
     * has no ± part; a missing cell shows {@code –}.
     *
     * @return a Markdown table, preceded by the title when there is one
     */
    public String toMarkdown() {
        List<Column> columns = columns();
        StringBuilder sb = new StringBuilder();
        if (!title.isEmpty()) {
            sb.append("**").append(title).append("**\n\n");
        }
        sb.append("| features |");
        for (Column column : columns) {
            sb.append(' ').append(column.header()).append(" |");
        }
        sb.append("\n|---|");
        sb.append("---|".repeat(columns.size()));
        sb.append('\n');
        for (String featureSet : featureSets()) {
            sb.append("| ").append(featureSet).append(" |");
            for (Column column : columns) {
                sb.append(' ')
                        .append(score(featureSet, column.protocol(), column.labelFraction())
                                .map(EvaluationTable::format).orElse("–"))
                        .append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** @return the table as indented JSON: {@code {"title": ..., "cells": [...]}} */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new PretextException("evaluation table: cannot write JSON", e);
        }
    }

    /**
     * @param json what {@link #toJson()} wrote
     * @return the table
     */
    public static EvaluationTable fromJson(String json) {
        try {
            return JSON.readValue(json, EvaluationTable.class);
        } catch (JsonProcessingException e) {
            throw new PretextException("evaluation table: not a valid table JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String format(Score score) {
        String mean = String.format(Locale.ROOT, "%.1f", 100 * score.mean());
        String spread = score.n() > 1 ? String.format(Locale.ROOT, " ± %.1f", 100 * score.std()) : "";
        return mean + spread + " (n=" + score.n() + ")";
    }

    /** @return e.g. {@code 100%}, {@code 10%}, {@code 0.5%} */
    static String percent(double fraction) {
        BigDecimal pct = BigDecimal.valueOf(fraction).multiply(BigDecimal.valueOf(100)).stripTrailingZeros();
        return pct.toPlainString() + "%";
    }

    /** Collects cells in order. */
    public static final class Builder {
        private final String title;
        private final List<Cell> cells = new ArrayList<>();

        private Builder(String title) {
            this.title = title;
        }

        /**
         * @param featureSet row name
         * @param protocol protocol id
         * @param labelFraction share of labels used
         * @param score the measured accuracy
         * @return this builder
         */
        public Builder add(String featureSet, String protocol, double labelFraction, Score score) {
            cells.add(new Cell(featureSet, protocol, labelFraction, score));
            return this;
        }

        /** @return the table */
        public EvaluationTable build() {
            return new EvaluationTable(title, cells);
        }
    }
}
