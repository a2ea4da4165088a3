package dev.labbook.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@link Bench}: {@code [--quick] [--only=start,raw,ingest,search,bulk]
 * [--out=FILE] [--home=DIR] [--backend-store-uri=URI]}.
 *
 * @param quick fewer repetitions (same data sizes), for a quick look
 * @param only the measurements to run
 * @param out where to write the markdown table as well, or null
 * @param home the checkout holding the {@code ./labbook} launcher, or null when it is not found
 * @param backendStoreUri the database the ingestion and query benchmarks use (e.g. a PostgreSQL
 *                        {@code postgresql://USER:PASSWORD@HOST:PORT/DB}), or null for fresh
 *                        SQLite files in the work folder
 */
record Options(boolean quick, Set<String> only, Path out, Path home, String backendStoreUri) {
    static final List<String> ALL = List.of("start", "raw", "ingest", "search", "bulk");

    static Options parse(String[] args) {
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>(ALL);
        Path out = null;
        Path home = null;
        String backendStoreUri = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--backend-store-uri") && i + 1 < args.length) {
                backendStoreUri = args[++i];
            } else if (a.startsWith("--backend-store-uri=")) {
                backendStoreUri = a.substring("--backend-store-uri=".length());
            } else if (a.equals("--quick")) {
                quick = true;
            } else if (a.startsWith("--only=")) {
                only = new LinkedHashSet<>(List.of(a.substring("--only=".length()).split(",")));
                if (!ALL.containsAll(only)) {
                    throw new IllegalArgumentException("--only takes some of " + ALL + ", got " + only);
                }
            } else if (a.startsWith("--out=")) {
                out = Path.of(a.substring("--out=".length()));
            } else if (a.startsWith("--home=")) {
                home = Path.of(a.substring("--home=".length()));
            } else if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: labbook bench [--quick] [--only=" + String.join(",", ALL) + "] [--out=FILE] [--home=DIR]"
                        + " [--backend-store-uri=URI]");
                System.exit(0);
            } else {
                throw new IllegalArgumentException("Unknown argument '" + a + "'; try --help");
            }
        }
        if (home == null) {
            String prop = System.getProperty("labbook.home");
            home = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        }
        if (!Files.isExecutable(home.resolve("labbook"))) {
            home = null;
        }
        return new Options(quick, only, out, home == null ? null : home.toAbsolutePath().normalize(), backendStoreUri);
    }

    /** The backend store URI of a benchmark: the given one, or a new SQLite file in the work folder. */
    String storeUri(Path work, String sqliteFile) {
        return backendStoreUri != null ? backendStoreUri : "sqlite://" + work.resolve(sqliteFile).toAbsolutePath();
    }

    boolean runs(String name) {
        return only.contains(name);
    }

    /** {@code full} repetitions, or {@code quick} of them with --quick. */
    int reps(int full, int quick) {
        return this.quick ? quick : full;
    }
}
