package dev.labbook.server.http;

import dev.labbook.core.model.Page;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * What the caller of a request may read, for the endpoints that answer lists (searches): with
 * access control on, the auth filter attaches the caller's; otherwise everything is visible.
 */
public interface Visibility {
    /** Everything: access control is off, or the caller is an admin. */
    Visibility ALL = new Visibility() {
        @Override
        public boolean experiment(String experimentId) {
            return true;
        }

        @Override
        public boolean registeredModel(String name) {
            return true;
        }

        @Override
        public boolean all() {
            return true;
        }
    };

    /** True when the caller may read the experiment (and so its runs, models, traces, sweeps). */
    boolean experiment(String experimentId);

    /** True when the caller may read the registered model. */
    boolean registeredModel(String name);

    /** True when nothing is hidden (lets searches skip filtering). */
    default boolean all() {
        return false;
    }

    /** The caller's visibility. */
    static Visibility of(Context ctx) {
        Visibility v = ctx.attribute(Visibility.class.getName());
        return v == null ? ALL : v;
    }

    /** Attaches the caller's visibility to the request. */
    static void set(Context ctx, Visibility v) {
        ctx.attribute(Visibility.class.getName(), v);
    }

    /**
     * A page of up to {@code max} visible items: pages are fetched from {@code token} on and
     * filtered until {@code max} visible items are found or the results end, so hidden items do
     * not leave pages short. When the last page fetched has more items than were needed, it is
     * fetched again just up to the last item taken, for a next-page token that resumes right
     * after it (the store's tokens stay opaque).
     */
    static <T> Page<T> fill(int max, String token, BiFunction<Integer, String, Page<T>> fetch, Predicate<T> visible) {
        List<T> out = new ArrayList<>();
        String from = token;
        while (true) {
            Page<T> page = fetch.apply(max, from);
            List<T> items = page.items();
            for (int i = 0; i < items.size(); i++) {
                if (!visible.test(items.get(i))) {
                    continue;
                }
                out.add(items.get(i));
                if (out.size() == max) {
                    if (i == items.size() - 1) {
                        return new Page<>(out, page.nextPageToken());
                    }
                    return new Page<>(out, fetch.apply(i + 1, from).nextPageToken());
                }
            }
            if (page.nextPageToken() == null || items.isEmpty()) {
                return new Page<>(out, null);
            }
            from = page.nextPageToken();
        }
    }
}
