package dev.labbook.store.jdbc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Helpers for statements built at run time: positional binding and inlined id lists. Only
 * numbers the store produced itself are ever inlined, so inlining cannot inject SQL, and it keeps
 * large pages clear of SQLite's limit on bound parameters.
 */
final class SqlLists {
    private SqlLists() {}

    /** A query with {@code args} bound to its {@code ?} marks in order. */
    static Query query(Handle h, String sql, List<?> args) {
        Query q = h.createQuery(sql);
        for (int i = 0; i < args.size(); i++) {
            q.bind(i, args.get(i));
        }
        return q;
    }

    /** {@code 1,2,3}: the ids as an SQL list (callers ensure it is not empty). */
    static String ids(Collection<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** {@code list} cut into consecutive pieces of at most {@code size}. */
    static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) {
            out.add(list.subList(i, Math.min(list.size(), i + size)));
        }
        return out;
    }
}
