package io.pretext.runtime.embed;

import io.pretext.runtime.checkpoint.EncoderFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.Backend;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.Capability;
import io.pretext.api.backend.OnnxModel;
import io.pretext.runtime.checkpoint.SafeTensors;
import io.pretext.runtime.cli.Main;
import io.pretext.runtime.registry.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretext export} and {@code pretext embed} as a user runs them, on an encoder pretrained
 * here: the ONNX model embeds raw rows like the encoder file on TensorFlow, in either output format.
 */
class ExportAndEmbedTest {

    @TempDir
    static Path dir;

    private static SmallRun run;
    private static Path model;

    @BeforeAll
    static void pretrainAndExport() throws Exception {
        run = SmallRun.pretrain(dir);
        model = dir.resolve("model.onnx");
        Cli.Result r = Cli.run("export", "--encoder", run.encoder().toString(), "--format", "onnx", "--out", model.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("traced on backend onnx") && r.out().contains("input [batch, "), r.out());
    }

    @Test
    void theOnnxModelCarriesRecipeProvenanceAndPreprocessing() {
        try (PluginRegistry registry = PluginRegistry.fromClasspath()) {
            Backend onnx = registry.all(Backend.class).stream().filter(b -> b.hasCapability(Capability.EXPORT_ONNX)).findFirst().orElseThrow();
            try (BackendSession session = onnx.open(BackendSettings.defaults()); OnnxModel m = session.openOnnx(model)) {
                Map<String, String> meta = m.metadata();
                assertEquals(EncoderFile.ONNX_FORMAT, meta.get(EncoderFile.FORMAT_KEY));
                assertTrue(meta.get("pretext.recipe").contains("scarf"), meta.get("pretext.recipe"));
                assertTrue(meta.get("pretext.data_fingerprint").contains("sha256:"), meta.toString());
                assertTrue(meta.get("pretext.plugins").contains("task=scarf"), meta.get("pretext.plugins"));
                assertTrue(meta.get("pretext.provenance").contains("dataFingerprint"));
                EncoderFile fromOnnx = EncoderFile.fromOnnxMetadata(model, meta).orElseThrow();
                assertEquals(EncoderFile.read(run.encoder()).preprocessing(), fromOnnx.preprocessing(), "preprocessing survives bit for bit");
                assertEquals(List.of(-1L, (long) fromOnnx.inputShape().dim(0)), m.inputs().get(0).dims());
            }
        }
    }

    /** What a Python user sees with {@code safetensors.safe_open(f, "np").metadata()}: the header's JSON, read here by hand. */
    @Test
    void theEncoderFileShowsColumnAndCategoryNamesAsTextInItsMetadata() throws Exception {
        byte[] bytes = Files.readAllBytes(run.encoder());
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<?, ?> header = json.readValue(new String(bytes, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8), Map.class);
        Map<?, ?> metadata = (Map<?, ?>) header.get("__metadata__");
        List<String> columns = List.of(Files.readAllLines(run.table()).get(0).split(";"));
        assertEquals(columns.subList(0, columns.size() - 1), json.readValue((String) metadata.get("preprocessing/tabular/columns"), List.class),
                "every feature column by name, the label (income) left out");
        List<?> workclass = json.readValue((String) metadata.get("preprocessing/tabular/categories/1"), List.class);
        assertTrue(workclass.contains("State-gov") && workclass.contains("Private"), workclass.toString());
        assertTrue(header.containsKey("preprocessing/tabular/mean"), "statistics stay tensors");
        assertFalse(header.containsKey("preprocessing/tabular/columns"), "names are no longer hashed into a tensor");
    }

    @Test
    void embeddingThroughOnnxRuntimeMatchesTheEncoderFileOnTensorFlow() throws Exception {
        Path fromFile = dir.resolve("tf.npy");
        Path fromOnnx = dir.resolve("onnx.npy");
        Cli.Result tf = Cli.run("embed", "--encoder", run.encoder().toString(), "--data", run.table().toString(), "--out", fromFile.toString(),
                "--batch-size", "96");
        assertEquals(0, tf.status(), tf.err());
        assertTrue(tf.out().contains("backend tensorflow"), tf.out());
        Cli.Result ort = Cli.run("embed", "--encoder", model.toString(), "--data", run.table().toString(), "--out", fromOnnx.toString(),
                "--batch-size", "96");
        assertEquals(0, ort.status(), ort.err());
        assertTrue(ort.out().contains("backend onnx"), ort.out());
        assertTrue(ort.err().contains("embedded 400 rows"), "progress and summary go to stderr: " + ort.err());
        Npy a = Npy.read(fromFile);
        Npy b = Npy.read(fromOnnx);
        assertEquals(SmallRun.ROWS, a.rows());
        assertEquals(SmallRun.WIDTH, a.width());
        assertEquals(a.rows(), b.rows());
        double diff = 0;
        for (int i = 0; i < a.data().length; i++) {
            diff = Math.max(diff, Math.abs(a.data()[i] - b.data()[i]));
        }
        assertTrue(diff < 1e-4, "max abs difference " + diff);
        assertTrue(new java.util.HashSet<>(java.util.Arrays.asList(box(b.data()))).size() > SmallRun.ROWS, "embeddings vary across rows");
    }

    private static Float[] box(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @Test
    void csvOutputHoldsTheSameValuesAndRowsWithoutTheLabelColumnEmbedTheSame() throws Exception {
        Path npy = dir.resolve("labeled.npy");
        Path csv = dir.resolve("unlabeled.csv");
        assertEquals(0, Cli.run("embed", "--encoder", model.toString(), "--data", run.table().toString(), "--out", npy.toString()).status());
        Cli.Result r = Cli.run("embed", "--encoder", model.toString(), "--data", run.unlabeled().toString(), "--out", csv.toString(),
                "--set", "data.label=none");
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(SmallRun.ROWS + 1, lines.size());
        float[] fromCsv = new float[SmallRun.ROWS * SmallRun.WIDTH];
        int i = 0;
        for (String line : lines.subList(1, lines.size())) {
            for (String v : line.split(",")) {
                fromCsv[i++] = Float.parseFloat(v);
            }
        }
        assertArrayEquals(Npy.read(npy).data(), fromCsv);
    }

    /**
     * New data rarely holds every category the pretraining table had, and may hold new ones: it is
     * encoded with the trained one-hot positions (an unseen category as a missing one), so a row
     * embeds the same in any file.
     */
    @Test
    void aTableWithFewerOrUnseenCategoriesEmbedsWithTheTrainedEncoding() throws Exception {
        List<String> lines = Files.readAllLines(run.table());
        int rows = 20;
        List<String> subset = new java.util.ArrayList<>(lines.subList(0, rows + 1));
        String[] changed = subset.get(rows).split(";", -1);
        changed[13] = " Atlantis"; // native-country: not in the pretraining table
        subset.set(rows, String.join(";", changed));
        Path few = dir.resolve("adult-20.csv");
        Files.write(few, subset);
        Path all = dir.resolve("all-rows.npy");
        Path part = dir.resolve("twenty-rows.npy");
        assertEquals(0, Cli.run("embed", "--encoder", run.encoder().toString(), "--data", run.table().toString(), "--out", all.toString())
                .status());
        Cli.Result r = Cli.run("embed", "--encoder", run.encoder().toString(), "--data", few.toString(), "--out", part.toString());
        assertEquals(0, r.status(), r.err());
        float[] full = Npy.read(all).data();
        float[] some = Npy.read(part).data();
        assertEquals(rows * SmallRun.WIDTH, some.length);
        int same = (rows - 1) * SmallRun.WIDTH;
        assertArrayEquals(java.util.Arrays.copyOf(full, same), java.util.Arrays.copyOf(some, same),
                "rows embed the same whichever categories the rest of the file has");
        float[] lastFull = java.util.Arrays.copyOfRange(full, same, rows * SmallRun.WIDTH);
        float[] lastPart = java.util.Arrays.copyOfRange(some, same, rows * SmallRun.WIDTH);
        assertFalse(java.util.Arrays.equals(lastFull, lastPart), "the unseen country is encoded as missing, not as another country");
    }

    /** Columns are found by name: a file with its columns in another order embeds exactly like the original, ONNX model included. */
    @Test
    void columnsInAnotherOrderEmbedTheSame() throws Exception {
        List<String> swapped = Cli.swapFields(Files.readAllLines(run.table()), 0, 2); // age and fnlwgt
        Path reordered = dir.resolve("reordered.csv");
        Files.write(reordered, swapped);
        for (Path encoderFile : List.of(run.encoder(), model)) {
            Path a = dir.resolve("order-a.npy");
            Path b = dir.resolve("order-b.npy");
            assertEquals(0, Cli.run("embed", "--encoder", encoderFile.toString(), "--data", run.table().toString(), "--out", a.toString()).status());
            Cli.Result r = Cli.run("embed", "--encoder", encoderFile.toString(), "--data", reordered.toString(), "--out", b.toString());
            assertEquals(0, r.status(), r.err());
            assertArrayEquals(Npy.read(a).data(), Npy.read(b).data(), encoderFile.toString());
        }
    }

    /** A streamed run keeps no test split; the command its error names evaluates it on a labeled file. */
    @Test
    void aStreamedRunIsEvaluatedOnTheLabeledFileItsErrorNames() {
        Path out = dir.resolve("streamed");
        Cli.Result trained = Cli.run("pretrain", dir.resolve("recipe.yaml").toString(), "--set", "data.path=" + run.table(), "--set",
                "training.streaming=true", "--set", "training.shuffle-buffer=64", "--set", "output=" + out);
        assertEquals(0, trained.status(), trained.err());
        Path encoder = out.resolve("encoder.safetensors");
        Cli.Result refused = Cli.run("evaluate", "--encoder", encoder.toString());
        assertEquals(Main.USER_ERROR, refused.status());
        assertTrue(refused.err().contains("pretext evaluate --encoder " + encoder) && refused.err().contains("--data"), refused.err());
        Cli.Result evaluated = Cli.run("evaluate", "--encoder", encoder.toString(), "--data", run.table().toString(), "--protocol", "linear",
                "--set", "evaluation.label-percents=[100]");
        assertEquals(0, evaluated.status(), evaluated.err());
        assertTrue(evaluated.out().contains("pretrained (scarf)") && evaluated.out().contains("raw features"), evaluated.out());
    }

    /** Evaluation on unlabeled data is refused before pretraining, not after it, and the message names where labels come from. */
    @Test
    void pretrainWithEvaluateOnUnlabeledDataIsRefusedBeforeTraining() {
        Path out = dir.resolve("unlabeled-run");
        Cli.Result r = Cli.run("pretrain", dir.resolve("recipe.yaml").toString(), "--evaluate", "--set", "data.path=" + run.unlabeled(),
                "--set", "data.label=none", "--set", "output=" + out);
        assertEquals(Main.USER_ERROR, r.status());
        assertTrue(r.err().contains("evaluation needs labeled data") && r.err().contains("pretext plugins csv"), r.err());
        assertFalse(Files.exists(out), "refused before any output was written");
    }

    private static String rawScore(Cli.Result r) {
        String row = r.out().lines().filter(l -> l.startsWith("| raw features |")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        return row.split("\\|")[2].trim();
    }

    /**
     * A separate test table is lined up with the training table by column name and category name.
     * Reference: the training rows plus one row whose workclass is missing. Test: the same rows
     * with two columns swapped, and that row's workclass a category the training data never had
     * (sorting first, it shifts every other workclass index of the test file). Lined up, the two
     * score exactly alike.
     */
    @Test
    void aTestTableIsLinedUpByColumnAndCategoryName() throws Exception {
        List<String> lines = Files.readAllLines(run.table());
        String[] extra = lines.get(1).split(";", -1);
        extra[1] = "?";
        List<String> reference = new java.util.ArrayList<>(lines);
        reference.add(String.join(";", extra));
        extra[1] = " Aaa-never-seen";
        List<String> shuffled = Cli.swapFields(concatLines(lines, String.join(";", extra)), 0, 2);
        Path same = dir.resolve("test-reference.csv");
        Files.write(same, reference);
        Path reordered = dir.resolve("test-reordered.csv");
        Files.write(reordered, shuffled);
        String[] common = {"--evaluate", "--set", "data.path=" + run.table(), "--set", "evaluation.label-percents=[100]"};
        Cli.Result plain = Cli.run(concat(new String[] {"pretrain", dir.resolve("recipe.yaml").toString(), "--set", "test-data={id: csv, path: "
                + same + ", label: income}", "--set", "output=" + dir.resolve("td-same")}, common));
        assertEquals(0, plain.status(), plain.err());
        Cli.Result lined = Cli.run(concat(new String[] {"pretrain", dir.resolve("recipe.yaml").toString(), "--set", "test-data={id: csv, path: "
                + reordered + ", label: income}", "--set", "output=" + dir.resolve("td-reordered")}, common));
        assertEquals(0, lined.status(), lined.err());
        assertEquals(rawScore(plain), rawScore(lined));
    }

    private static List<String> concatLines(List<String> lines, String last) {
        List<String> out = new java.util.ArrayList<>(lines);
        out.add(last);
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Rows with an empty label pretrain but are left out of the probes, instead of counting as wrong answers. */
    @Test
    void rowsWithoutALabelAreLeftOutOfTheEvaluation() throws Exception {
        List<String> lines = Files.readAllLines(run.table());
        List<String> blanked = new java.util.ArrayList<>(lines.subList(0, 1));
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            blanked.add(i % 10 == 0 ? l.substring(0, l.lastIndexOf(';') + 1) : l);
        }
        Path file = dir.resolve("some-unlabeled.csv");
        Files.write(file, blanked);
        Cli.Result r = Cli.run("pretrain", dir.resolve("recipe.yaml").toString(), "--evaluate", "--set", "data.path=" + file,
                "--set", "evaluation.label-percents=[100]", "--set", "output=" + dir.resolve("some-unlabeled"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("40 unlabeled rows left out"), r.out());
        assertTrue(r.out().contains("72 held-out test rows"), "the split holds labeled rows only (20% of 360): " + r.out());
    }

    @Test
    void exportAsSafetensorsRewritesTheEncoderFaithfully() {
        Path copy = dir.resolve("copy.safetensors");
        Cli.Result r = Cli.run("export", "--encoder", run.encoder().toString(), "--format", "safetensors", "--out", copy.toString());
        assertEquals(0, r.status(), r.err());
        SafeTensors.Contents original = SafeTensors.read(run.encoder());
        SafeTensors.Contents written = SafeTensors.read(copy);
        assertEquals(original.tensors(), written.tensors());
        assertEquals(original.metadata().get("recipe"), written.metadata().get("recipe"));
    }

    @Test
    void pretrainingOnTheOnnxBackendIsRefusedNamingTheBackendsThatTrain() {
        Cli.Result r = Cli.run("pretrain", dir.resolve("recipe.yaml").toString(), "--set", "data.path=" + run.table(), "--set", "backend.id=onnx",
                "--set", "output=" + dir.resolve("never"));
        assertEquals(Main.USER_ERROR, r.status());
        assertTrue(r.err().contains("backend 'onnx' cannot train") && r.err().contains("tensorflow"), r.err());
        assertFalse(Files.exists(dir.resolve("never")), "refused before any work");
    }

    @Test
    void userMistakesAreErrorsNamingTheOptionOrFile() throws Exception {
        Cli.Result format = Cli.run("export", "--encoder", run.encoder().toString(), "--format", "tflite", "--out", dir.resolve("m").toString());
        assertEquals(Main.USER_ERROR, format.status());
        assertTrue(format.err().contains("--format") && format.err().contains("onnx, safetensors"), format.err());

        Path checkpoint = run.encoder().resolveSibling("checkpoint").resolve("model.safetensors");
        Cli.Result notEncoder = Cli.run("export", "--encoder", checkpoint.toString(), "--out", dir.resolve("m.onnx").toString());
        assertEquals(Main.USER_ERROR, notEncoder.status());
        assertTrue(notEncoder.err().contains("training checkpoint"), notEncoder.err());

        Cli.Result trainer = Cli.run("export", "--encoder", run.encoder().toString(), "--out", dir.resolve("m.onnx").toString(), "--backend", "tensorflow");
        assertEquals(Main.USER_ERROR, trainer.status());
        assertTrue(trainer.err().contains("backend 'tensorflow' cannot write and run ONNX") && trainer.err().contains("use onnx"), trainer.err());

        Cli.Result out = Cli.run("embed", "--encoder", model.toString(), "--data", run.table().toString(), "--out", dir.resolve("z.txt").toString());
        assertEquals(Main.USER_ERROR, out.status());
        assertTrue(out.err().contains("--out"), out.err());

        Path wine = Path.of("..", "data", "tabular", "wine_data.csv").toAbsolutePath();
        Cli.Result otherTable = Cli.run("embed", "--encoder", model.toString(), "--data", wine.toString(), "--out", dir.resolve("w.npy").toString(),
                "--set", "data.label=last");
        assertEquals(Main.USER_ERROR, otherTable.status());
        assertTrue(otherTable.err().contains("wine_data.csv") && otherTable.err().contains("columns pretraining read"), otherTable.err());
        assertFalse(Files.exists(dir.resolve("w.npy")), "nothing is written on an error");
    }
}
