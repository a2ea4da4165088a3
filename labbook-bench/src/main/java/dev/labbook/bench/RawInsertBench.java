package dev.labbook.bench;

import dev.labbook.store.jdbc.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The ceiling: plain JDBC batches of 1000 rows into {@code metric_points} of a fresh database
 * opened exactly as the store opens it (same migrations, same pragmas), one prepared statement,
 * one commit per batch (the unit of work of one log-batch request), nothing else.
 */
final class RawInsertBench {
    static final String INSERT =
            "INSERT INTO metric_points (series_id, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private RawInsertBench() {}

    /** Returns the median rate in rows per second. */
    static double run(Options o, Path work, Report report) throws SQLException {
        int batches = o.reps(1000, 300);
        int reps = o.reps(5, 2);
        System.out.printf("raw insert: %d x %d rows, plain JDBC batches of %d, one commit each%n",
                reps, batches * Workload.POINTS_PER_BATCH, Workload.POINTS_PER_BATCH);
        List<Double> rates = new ArrayList<>();
        try (Database db = Database.openSqlite(work.resolve("raw.db")); Handle h = db.jdbi().open()) {
            Connection c = h.getConnection();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                double[] values = values(batches);
                long series = 1;
                insert(c, ps, series, batches / 4, values); // warm-up
                series += Workload.KEYS;
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    insert(c, ps, series, batches, values);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    series += Workload.KEYS;
                    rates.add(batches * Workload.POINTS_PER_BATCH / secs);
                    System.out.printf("  rep %d: %s%n", r + 1, Report.rate(rates.get(r), "rows"));
                }
            }
            c.setAutoCommit(true);
        }
        Samples s = Samples.of(rates);
        report.add(new Report.Row("raw SQLite batch insert into metric_points (the ceiling)", "-",
                Report.rate(s.median(), "rows"), Report.rateSpread(s), s.count(), Report.Verdict.INFO, null));
        return s.median();
    }

    /** The values, computed ahead so that the timed loop only binds and inserts. */
    private static double[] values(int batches) {
        double[] v = new double[batches * Workload.POINTS_PER_BATCH];
        int i = 0;
        for (int b = 0; b < batches; b++) {
            for (int s = 0; s < Workload.STEPS_PER_BATCH; s++) {
                for (int k = 0; k < Workload.KEYS; k++) {
                    v[i++] = Workload.value(k, Workload.step(b, s));
                }
            }
        }
        return v;
    }

    private static void insert(Connection c, PreparedStatement ps, long firstSeries, int batches, double[] values)
            throws SQLException {
        int i = 0;
        for (int b = 0; b < batches; b++) {
            for (int s = 0; s < Workload.STEPS_PER_BATCH; s++) {
                long step = Workload.step(b, s);
                for (int k = 0; k < Workload.KEYS; k++) {
                    ps.setLong(1, firstSeries + k);
                    ps.setLong(2, step);
                    ps.setLong(3, Workload.timestamp(step));
                    ps.setDouble(4, values[i++]);
                    ps.setInt(5, 0);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        }
    }
}
