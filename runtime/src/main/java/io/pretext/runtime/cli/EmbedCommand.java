package io.pretext.runtime.cli;

import com.google.inject.Guice;
import io.pretext.runtime.embed.EmbedRequest;
import io.pretext.runtime.embed.ProgressBar;
import io.pretext.runtime.embed.StreamingEmbedder;
import io.pretext.runtime.registry.PluginRegistry;
import io.pretext.runtime.wiring.LaunchSettings;
import io.pretext.runtime.wiring.RuntimeModule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext embed --encoder FILE --data FILE --out FILE}: embeddings of every example, streamed in batches. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Embed every example of a data file or folder with a pretrained encoder, in batches, streaming (bounded memory).",
            "--encoder: an encoder.safetensors (runs on an inference backend), an ONNX model from 'pretext export' (runs on"
                + " ONNX Runtime; rows are encoded as in pretraining from the model's metadata), or any other ONNX model"
                + " (plain numeric CSV columns fed to --input-name, reshaped to --input-shape).",
            "--out: .csv (a row per line) or .npy (NumPy float32 [rows, width]). Progress goes to stderr."})
public final class EmbedCommand implements Callable<Integer> {

    @Mixin
    PluginFolders plugins;

    @Option(names = "--encoder", required = true, paramLabel = "FILE", description = "encoder.safetensors or model.onnx")
    Path encoder;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "the data to embed, read whole by the encoder's data "
            + "source (a CSV table, an image folder, an IDX or pixel-CSV file) at the shape it was trained on; one output row per "
            + "example, in the source's order (an image folder: sorted paths; skipped files leave no row); for a foreign ONNX model, a numeric CSV")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "embeddings.csv or embeddings.npy")
    Path out;

    @Option(names = "--batch-size", defaultValue = "1024", paramLabel = "N", description = "rows per batch (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--backend", paramLabel = "ID", description = "backend to run on (default: the recipe's for encoder files, onnx for ONNX models)")
    String backend;

    @Option(names = "--input-name", paramLabel = "NAME", description = "foreign ONNX model: the input to feed (default: its only input)")
    String inputName;

    @Option(names = "--input-shape", paramLabel = "DIMS", description = "foreign ONNX model: per-row input shape, e.g. 16 or 1x28x28 "
            + "(default: as the model declares it)")
    String inputShape;

    @Option(names = "--output-name", paramLabel = "NAME", description = "the model output to write (default: 'embedding', else the first)")
    String outputName;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override a key of the stored recipe (e.g. --set data.label=none);"
            + " for a foreign model, an option of the csv data source (data.separator=';')")
    List<String> overrides = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = Guice.createInjector(new RuntimeModule(new LaunchSettings(plugins.all(), Optional.empty(), List.of())))
                .getInstance(PluginRegistry.class);
        EmbedRequest request = new EmbedRequest(encoder, data, out, batchSize, Optional.ofNullable(backend), Optional.ofNullable(inputName),
                Optional.ofNullable(inputShape), Optional.ofNullable(outputName), overrides);
        StreamingEmbedder.Result r = StreamingEmbedder.run(registry, request,
                new ProgressBar(spec.commandLine().getErr(), System.console() != null));
        spec.commandLine().getOut().printf("wrote %s: %,d rows x %d (%s)%n", r.out(), r.rows(), r.width(), r.how());
        return 0;
    }
}
