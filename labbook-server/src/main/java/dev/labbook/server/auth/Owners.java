package dev.labbook.server.auth;

import dev.labbook.store.auth.ResourceOwners;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link ResourceOwners} with a memory: a run's (model's, trace's, sweep's, trial's) experiment
 * never changes, so once known it is never read again (log-batch checks cost no query). Only
 * found owners are kept, and each map starts over past its bound.
 */
final class Owners {
    private static final int MAX = 100_000;
    private final ResourceOwners owners;
    private final ConcurrentHashMap<String, String> runs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> models = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> traces = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> sweeps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> trials = new ConcurrentHashMap<>();

    Owners(ResourceOwners owners) {
        this.owners = owners;
    }

    Optional<String> run(String id) {
        return cached(runs, id, owners::experimentOfRun);
    }

    Optional<String> loggedModel(String id) {
        return cached(models, id, owners::experimentOfLoggedModel);
    }

    Optional<String> trace(String id) {
        return cached(traces, id, owners::experimentOfTrace);
    }

    Optional<String> sweep(String id) {
        return cached(sweeps, id, owners::experimentOfSweep);
    }

    Optional<String> trial(String id) {
        return cached(trials, id, owners::experimentOfTrial);
    }

    /** Names can move between experiments (rename, delete), so this one is never cached. */
    Optional<String> experimentNamed(String name) {
        return owners.experimentNamed(name);
    }

    private static Optional<String> cached(ConcurrentHashMap<String, String> map, String id, Function<String, Optional<String>> lookup) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        String known = map.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> found = lookup.apply(id);
        found.ifPresent(e -> {
            if (map.size() >= MAX) {
                map.clear();
            }
            map.put(id, e);
        });
        return found;
    }
}
