package dev.labbook.server.tracking;

import dev.labbook.core.model.Dataset;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.ExperimentTag;
import dev.labbook.core.model.InputTag;
import dev.labbook.core.model.Metric;
import dev.labbook.core.model.Param;
import dev.labbook.core.model.RunTag;
import dev.labbook.server.http.JsonObject;

/** Reads the nested messages of tracking requests (metrics, params, tags, datasets). */
final class Messages {
    private Messages() {}

    static Metric metric(JsonObject o) {
        return new Metric(o.requiredString("key"), o.requiredDouble("value"), o.requiredLong("timestamp"),
                o.longOr("step", 0));
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
