package dev.labbook.store.transfer;

import dev.labbook.store.transfer.TableSchema.Column;
import dev.labbook.store.transfer.TableSchema.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;

/**
 * Rows as portable values (Long, Double, byte[], String or null; flags as 0/1 Longs), read from
 * and bound to either database, and their hashes: the same row hashes alike on SQLite and
 * PostgreSQL, so that tables are compared by content across databases.
 */
final class Rows {
    private Rows() {}

    /** The row at the cursor, column by column as {@code columns} says. */
    static Object[] read(ResultSet rs, List<Column> columns) throws SQLException {
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            int c = i + 1;
            Object v = switch (columns.get(i).kind()) {
                case LONG -> rs.getLong(c);
                case DOUBLE -> rs.getDouble(c);
                case BOOL -> rs.getBoolean(c) ? 1L : 0L;
                case BYTES -> rs.getBytes(c);
                case TEXT -> rs.getString(c);
            };
            row[i] = rs.wasNull() ? null : v;
        }
        return row;
    }

    /** Binds {@code values} from parameter {@code first} on, converted to {@code columns}' kinds. */
    static void bind(PreparedStatement ps, int first, List<Column> columns, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            int p = first + i;
            Object v = values[i];
            Kind k = columns.get(i).kind();
            if (v == null) {
                ps.setNull(p, switch (k) {
                    case LONG -> Types.BIGINT;
                    case DOUBLE -> Types.DOUBLE;
                    case BOOL -> Types.BOOLEAN;
                    case BYTES -> Types.BINARY;
                    case TEXT -> Types.VARCHAR;
                });
                continue;
            }
            switch (k) {
                case LONG -> ps.setLong(p, ((Number) v).longValue());
                case DOUBLE -> ps.setDouble(p, ((Number) v).doubleValue());
                case BOOL -> ps.setBoolean(p, ((Number) v).longValue() != 0);
                case BYTES -> ps.setBytes(p, (byte[]) v);
                case TEXT -> ps.setString(p, v.toString());
            }
        }
    }

    /** The values at {@code indexes}. */
    static Object[] pick(Object[] row, int[] indexes) {
        Object[] out = new Object[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            out[i] = row[indexes[i]];
        }
        return out;
    }

    /** A 64-bit hash of the row's values in order, the same for the same values on any database. */
    static long hash(Object[] row, MessageDigest md) {
        md.reset();
        ByteBuffer b = ByteBuffer.allocate(9);
        for (Object v : row) {
            b.clear();
            if (v == null) {
                md.update((byte) 0);
            } else if (v instanceof Double d) {
                b.put((byte) 2).putLong(Double.doubleToLongBits(d));
                md.update(b.array(), 0, 9);
            } else if (v instanceof Number n) {
                b.put((byte) 1).putLong(n.longValue());
                md.update(b.array(), 0, 9);
            } else if (v instanceof byte[] bytes) {
                b.put((byte) 3).putLong(bytes.length);
                md.update(b.array(), 0, 9);
                md.update(bytes);
            } else {
                byte[] s = v.toString().getBytes(StandardCharsets.UTF_8);
                b.put((byte) 4).putLong(s.length);
                md.update(b.array(), 0, 9);
                md.update(s);
            }
        }
        return ByteBuffer.wrap(md.digest()).getLong();
    }

    /** A key's values as one string, for maps keyed by primary key. */
    static String keyString(Object[] key) {
        StringBuilder sb = new StringBuilder();
        for (Object v : key) {
            sb.append(v instanceof byte[] b ? Arrays.toString(b) : String.valueOf(v)).append('\u0000');
        }
        return sb.toString();
    }
}
