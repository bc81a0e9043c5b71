package io.pretext.runtime.testplugins;

import io.pretext.api.DataSource;
import io.pretext.api.PretextApi;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/** Test data source: labeled rows drawn around one random centre per class. */
public final class GaussianRowsSource implements DataSource {

    @Override
    public String id() {
        return "test-gaussian-rows";
    }

    @Override
    public String description() {
        return "test only: Gaussian clusters as table rows";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.integer("rows", 200, "rows"), OptionSpec.integer("features", 8, "features"),
                OptionSpec.integer("classes", 3, "classes"), OptionSpec.integer("seed", 1, "seed"));
    }

    @Override
    public Modality modality() {
        return Modality.TABLE;
    }

    @Override
    public Dataset open(Options options, Path baseDirectory) {
        int rows = options.getInt("rows");
        int features = options.getInt("features");
        int classes = options.getInt("classes");
        SplittableRandom random = new SplittableRandom(options.getLong("seed"));
        float[][] centres = new float[classes][features];
        for (float[] c : centres) {
            for (int j = 0; j < features; j++) {
                c[j] = (float) (random.nextGaussian() * 3);
            }
        }
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int label = i % classes;
            float[] v = new float[features];
            for (int j = 0; j < features; j++) {
                v[j] = centres[label][j] + (float) random.nextGaussian();
            }
            examples.add(new Example.TableRow(v, label));
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("c" + c);
        }
        DatasetInfo info = new DatasetInfo("gaussian-rows", Modality.TABLE, Shape.of(features), OptionalLong.of(rows), names,
                Optional.empty(), "test-" + rows + "x" + features + "-" + options.getLong("seed"));
        return new Dataset() {
            @Override
            public DatasetInfo info() {
                return info;
            }

            @Override
            public Iterator<Example> iterator() {
                return examples.iterator();
            }
        };
    }
}
