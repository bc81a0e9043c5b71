package io.pretext.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data FILE} goes to whichever option names the source's file: {@code path} for CSV, {@code images} for IDX. */
class DataOptionTest {

    @TempDir
    Path dir;

    @Test
    void embedAndEvaluateTakeAnIdxFileForAnIdxTrainedEncoder() {
        Path example = Path.of("..", "examples", "vision-rotation.yaml").toAbsolutePath().normalize();
        Path images = Path.of("..", "data", "vision", "mnist", "t10k-images-idx3-ubyte.gz").toAbsolutePath().normalize();
        Path out = dir.resolve("rot");
        CliTest.Result trained = CliTest.run("pretrain", example.toString(), "--set", "training.epochs=1", "--set", "data.limit=512",
                "--set", "output=" + out);
        assertEquals(0, trained.status(), trained.err());

        Path npy = dir.resolve("rot.npy");
        CliTest.Result embedded = CliTest.run("embed", "--encoder", out.resolve("encoder.safetensors").toString(), "--data", images.toString(),
                "--out", npy.toString());
        assertEquals(0, embedded.status(), embedded.err());
        assertTrue(Files.isRegularFile(npy));

        CliTest.Result evaluated = CliTest.run("evaluate", "--encoder", out.resolve("encoder.safetensors").toString(), "--data",
                images.toString(), "--protocol", "linear", "--set", "evaluation.label-percents=[100]");
        assertEquals(0, evaluated.status(), evaluated.err());
        assertTrue(evaluated.out().contains("| pretrained (rotation) |"), evaluated.out());
    }

    @Test
    void exportRefusesAnOnnxFileWithAHint() {
        CliTest.Result r = CliTest.run("export", "--encoder", dir.resolve("model.onnx").toString(), "--format", "onnx", "--out",
                dir.resolve("again.onnx").toString());
        assertEquals(Main.USER_ERROR, r.status());
        assertTrue(r.err().contains("already an ONNX model"), r.err());
    }
}
