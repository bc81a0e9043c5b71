package io.pretext.tabular.encoding;

import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.ShapeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accumulates the training split's column statistics (Welford, in double precision): population
 * mean and standard deviation of the present values, as scikit-learn's {@code StandardScaler}
 * computes them. Not thread-safe: one pass over the training rows feeds it.
 */
public final class ColumnStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(ColumnStatistics.class);

    private final TableSchema schema;
    private final boolean indicators;
    private final long[] count;
    private final long[] missing;
    private final double[] mean;
    private final double[] m2;
    private long rows;

    ColumnStatistics(TableSchema schema, boolean indicators) {
        this.schema = schema;
        this.indicators = indicators;
        int d = schema.width();
        count = new long[d];
        missing = new long[d];
        mean = new double[d];
        m2 = new double[d];
    }

    /**
     * @param row raw values of one training row
     */
    public void accept(float[] row) {
        if (row.length != count.length) {
            throw new ShapeException("table-encoding", "row has " + row.length + " values, the table has " + count.length
                    + " feature columns");
        }
        rows++;
        for (int j = 0; j < row.length; j++) {
            float v = row[j];
            if (Float.isNaN(v)) {
                missing[j]++;
                continue;
            }
            long n = ++count[j];
            double delta = v - mean[j];
            mean[j] += delta / n;
            m2[j] += delta * (v - mean[j]);
        }
    }

    /** @return the encoding with the statistics seen so far */
    public TableEncoding finish() {
        int d = count.length;
        float[] mu = new float[d];
        float[] scale = new float[d];
        for (int j = 0; j < d; j++) {
            ColumnSpec c = schema.columns().get(j);
            scale[j] = 1f;
            if (c.kind() != ColumnSpec.Kind.NUMERIC) {
                continue;
            }
            if (count[j] > 0) {
                mu[j] = (float) mean[j];
                double std = Math.sqrt(m2[j] / count[j]);
                // A constant column keeps scale 1 (as StandardScaler does) rather than dividing by zero.
                scale[j] = std > 1e-12 ? (float) (1.0 / std) : 1f;
            }
            if (missing[j] > 0 && !indicators) {
                LOG.info("column '{}': {} of {} training values missing, encoded as the mean; set {}=numeric to add an indicator",
                        c.name(), missing[j], rows, TableEncoding.MISSING_INDICATORS);
            }
        }
        return new TableEncoding(EncodingState.fitted(schema, indicators, mu, scale), SchemaMatch.identity(schema));
    }
}
