package dev.labbook.store.dashboard;

import java.util.List;

/**
 * The runs table of the dashboard in columnar form: each row holds the {@link #attributes}, then
 * one value per param key, per metric key (the latest value) and per tag key, null where the run
 * has none.
 *
 * @param tags user tag keys (system tags, {@code mlflow.*} and {@code labbook.*}, are left out)
 * @param truncated true when more runs matched than were asked for
 * @param changeSeq the highest change number of any run when the table was read: asking for the
 *     runs changed since this number gives every change made after this table (and, changed or
 *     not, the run that held the number)
 * @param changed for a table of the runs changed since a number, the ids of every such run of the
 *     experiments, matching or not (a changed run missing from the rows no longer matches); null
 *     for a whole table
 */
public record RunTable(List<String> attributes, List<String> params, List<String> metrics, List<String> tags,
        List<Object[]> rows, boolean truncated, long changeSeq, List<String> changed) {

    /** The run attributes every row starts with, in this order. */
    public static final List<String> ATTRIBUTES = List.of(
            "run_id", "run_name", "status", "start_time", "end_time", "user_id", "lifecycle_stage", "experiment_id");
}
