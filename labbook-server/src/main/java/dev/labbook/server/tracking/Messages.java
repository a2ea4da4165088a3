package dev.labbook.server.tracking;

import dev.labbook.core.model.Dataset;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.ExperimentTag;
import dev.labbook.core.model.InputTag;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.ModelInput;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunTag;
import dev.labbook.server.http.JsonObject;

/** Reads the nested messages of tracking requests (metrics, params, tags, datasets). */
final class Messages {
    private Messages() {}

    static Metric metric(JsonObject o) {
        Metric m = new Metric(o.requiredString("key"), o.requiredDouble("value"), o.requiredLong("timestamp"),
                o.longOr("step", 0));
        String datasetName = o.string("dataset_name");
        String datasetDigest = o.string("dataset_digest");
        String modelId = o.string("model_id");
        String runId = o.string("run_id");
        if (datasetName == null && datasetDigest == null && modelId == null && runId == null) {
            return m;
        }
        return m.withDetails(datasetName, datasetDigest, modelId, runId);
    }

    static Param param(JsonObject o) {
        return new Param(o.requiredString("key"), o.requiredString("value"));
    }

    static RunTag runTag(JsonObject o) {
        return new RunTag(o.requiredString("key"), o.requiredString("value"));
    }

    static ExperimentTag experimentTag(JsonObject o) {
        return new ExperimentTag(o.requiredString("key"), o.requiredString("value"));
    }

    /** MLflow 3's {@code models: [{model_id}]} of log-inputs. */
    static ModelInput modelInput(JsonObject o) {
        return new ModelInput(o.requiredString("model_id"));
    }

    static DatasetInput datasetInput(JsonObject o) {
        JsonObject d = o.object("dataset");
        if (d == null) {
            throw dev.labbook.core.LabbookException.invalid("Missing value for required parameter 'datasets.dataset'");
        }
        Dataset dataset = new Dataset(d.requiredString("name"), d.requiredString("digest"),
                d.requiredString("source_type"), d.requiredString("source"), d.string("schema"), d.string("profile"));
        return new DatasetInput(o.objects("tags", t -> new InputTag(t.requiredString("key"), t.requiredString("value"))), dataset);
    }
}
