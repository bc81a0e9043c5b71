package io.pretext.runtime.cli;

import com.google.inject.Guice;
import io.pretext.runtime.embed.EncoderExport;
import io.pretext.runtime.registry.PluginRegistry;
import io.pretext.runtime.wiring.LaunchSettings;
import io.pretext.runtime.wiring.RuntimeModule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext export --encoder FILE --format onnx|safetensors --out FILE}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a pretrained encoder (encoder.safetensors from pretrain) as an ONNX model or as safetensors.",
            "ONNX: the encoder's own forward function traced by a backend that can export (onnx); input 'input' [batch, ...],"
                + " output 'embedding'; the recipe, provenance and preprocessing go into the model's metadata, so"
                + " 'pretext embed --encoder model.onnx' encodes raw rows as pretraining did."})
public final class ExportCommand implements Callable<Integer> {

    @Mixin
    PluginFolders plugins;

    @Option(names = "--encoder", required = true, paramLabel = "FILE", description = "encoder.safetensors written by pretext pretrain")
    Path encoder;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT", description = "onnx or safetensors (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the file to write, e.g. model.onnx")
    Path out;

    @Option(names = "--backend", paramLabel = "ID", description = "backend that traces the encoder (default: the first installed that can export ONNX)")
    String backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = Guice.createInjector(new RuntimeModule(new LaunchSettings(plugins.all(), Optional.empty(), List.of())))
                .getInstance(PluginRegistry.class);
        EncoderExport.Result r = EncoderExport.export(registry, encoder, EncoderExport.Format.parse(format), out, Optional.ofNullable(backend));
        PrintWriter o = spec.commandLine().getOut();
        long parameters = r.encoder().parameters().stream().mapToLong(p -> p.shape().size()).sum();
        String shapes = "input " + r.encoder().inputShape().toString().replaceFirst("^\\[", "[batch, ") + " -> output "
                + r.encoder().outputShape().toString().replaceFirst("^\\[", "[batch, ");
        if (r.format() == EncoderExport.Format.ONNX) {
            o.printf("wrote %s: ONNX model traced on backend %s, %s, %,d parameters%n", r.out(), r.backend().orElse("?"), shapes, parameters);
            o.printf("embed with: pretext embed --encoder %s --data DATA --out embeddings.npy%n", r.out());
        } else {
            o.printf("wrote %s: encoder safetensors, %s, %,d parameters%n", r.out(), shapes, parameters);
        }
        return 0;
    }
}
