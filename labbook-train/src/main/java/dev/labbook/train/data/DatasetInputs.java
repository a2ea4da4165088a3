package dev.labbook.train.data;

import dev.labbook.core.model.Dataset;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.InputTag;
import java.util.List;
import java.util.Locale;

/** Turns loaded data into the MLflow dataset input a run records. */
public final class DatasetInputs {
    /** The tag MLflow uses for the role of a dataset in a run. */
    public static final String CONTEXT = "mlflow.data.context";

    private DatasetInputs() {}

    /** The dataset input of {@code data}: name, digest, source and a profile with sizes and counts. */
    public static DatasetInput of(LabeledData data) {
        DataInfo i = data.info();
        String source = "{\"uri\": " + quote(i.source()) + ", \"format\": " + quote(i.format()) + "}";
        String profile = String.format(Locale.ROOT,
                "{\"train_rows\": %d, \"test_rows\": %d, \"size_bytes\": %d, \"content_sha256\": %s, \"file_sha256\": %s}",
                data.train().size(), data.test().size(), i.sizeBytes(), quote(i.digest()),
                i.fileDigest() == null ? "null" : quote(i.fileDigest()));
        String schema = "{\"mlflow_colspec\": [{\"name\": \"text\", \"type\": \"string\"}, {\"name\": \"label\", \"type\": \"long\"}]}";
        return new DatasetInput(List.of(new InputTag(CONTEXT, "train")),
                new Dataset(i.name(), i.shortDigest(), "local", source, schema, profile));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
