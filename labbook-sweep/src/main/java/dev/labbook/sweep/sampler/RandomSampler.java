package dev.labbook.sweep.sampler;

import dev.labbook.sweep.space.SearchSpace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Independent draws from each active parameter's distribution; trial {@code n}'s draw depends only
 * on the seed and n.
 */
public final class RandomSampler implements Sampler {
    private final SearchSpace space;
    private final long seed;

    public RandomSampler(SearchSpace space, long seed) {
        this.space = space;
        this.seed = seed;
    }

    @Override
    public Optional<Map<String, Object>> suggest(int number, List<Observation> history) {
        return Optional.of(draw(space, new Random(Sampler.seedFor(seed, number, 1))));
    }

    /** One draw of every active parameter, in declaration order (so parents are drawn before their children). */
    static Map<String, Object> draw(SearchSpace space, Random random) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (SearchSpace.Dimension d : space.dimensions()) {
            if (SearchSpace.isActive(d, params)) {
                params.put(d.name(), d.distribution().sample(random));
            }
        }
        return params;
    }
}
