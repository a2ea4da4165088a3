package dev.labbook.store.auth;

import dev.labbook.core.LabbookException;
import dev.labbook.store.jdbc.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;

/** {@link AuthStore} in the tracking database (the {@code auth_*} tables of migration V10). */
public final class JdbcAuthStore implements AuthStore {
    private static final String USER_COLUMNS = "id, username, is_admin, created_time";
    private static final String TOKEN_COLUMNS =
            "t.id, t.user_id, u.username, t.name, t.read_only, t.created_time, t.expires_time, t.revoked_time";

    private final Database db;
    private final LongSupplier clock;

    public JdbcAuthStore(Database db) {
        this(db, System::currentTimeMillis);
    }

    /** As above, with the clock that stamps rows (tests drive it). */
    public JdbcAuthStore(Database db, LongSupplier clock) {
        this.db = db;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- users

    @Override
    public User createUser(String username, String passwordHash, boolean admin) {
        long now = clock.getAsLong();
        return db.write(h -> {
            if (findUser(h, username).isPresent()) {
                throw LabbookException.exists("User '%s' already exists.", username);
            }
            long id = h.createQuery("INSERT INTO auth_users (username, password_hash, is_admin, created_time)"
                            + " VALUES (?, ?, ?, ?) RETURNING id")
                    .bind(0, username).bind(1, passwordHash).bind(2, admin).bind(3, now)
                    .mapTo(Long.class).one();
            bump(h);
            return new User(id, username, admin, now);
        });
    }

    @Override
    public Optional<User> getUser(String username) {
        return db.read(h -> findUser(h, username));
    }

    @Override
    public Optional<User> getUser(long id) {
        return db.read(h -> h.createQuery("SELECT " + USER_COLUMNS + " FROM auth_users WHERE id = ?")
                .bind(0, id).map((rs, c) -> user(rs)).findOne());
    }

    private static Optional<User> findUser(Handle h, String username) {
        return h.createQuery("SELECT " + USER_COLUMNS + " FROM auth_users WHERE username = ?")
                .bind(0, username).map((rs, c) -> user(rs)).findOne();
    }

    private static User requireUser(Handle h, String username) {
        return findUser(h, username).orElseThrow(() -> LabbookException.notFound("User with username=%s not found", username));
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4));
    }

    @Override
    public Optional<String> passwordHash(String username) {
        return db.read(h -> h.createQuery("SELECT password_hash FROM auth_users WHERE username = ?")
                .bind(0, username).mapTo(String.class).findOne());
    }

    @Override
    public List<User> listUsers() {
        return db.read(h -> h.createQuery("SELECT " + USER_COLUMNS + " FROM auth_users ORDER BY username")
                .map((rs, c) -> user(rs)).list());
    }

    @Override
    public void updatePassword(String username, String passwordHash) {
        db.write(h -> {
            User u = requireUser(h, username);
            h.execute("UPDATE auth_users SET password_hash = ? WHERE id = ?", passwordHash, u.id());
            h.execute("DELETE FROM auth_sessions WHERE user_id = ?", u.id());
            return bump(h);
        });
    }

    @Override
    public void updateAdmin(String username, boolean admin) {
        db.write(h -> {
            User u = requireUser(h, username);
            h.execute("UPDATE auth_users SET is_admin = ? WHERE id = ?", admin, u.id());
            return bump(h);
        });
    }

    @Override
    public void deleteUser(String username) {
        db.write(h -> {
            User u = requireUser(h, username);
            // spelled out rather than left to ON DELETE CASCADE, which SQLite applies only with foreign_keys on
            h.execute("DELETE FROM auth_experiment_permissions WHERE user_id = ?", u.id());
            h.execute("DELETE FROM auth_model_permissions WHERE user_id = ?", u.id());
            h.execute("DELETE FROM auth_team_members WHERE user_id = ?", u.id());
            h.execute("DELETE FROM auth_tokens WHERE user_id = ?", u.id());
            h.execute("DELETE FROM auth_sessions WHERE user_id = ?", u.id());
            h.execute("DELETE FROM auth_users WHERE id = ?", u.id());
            return bump(h);
        });
    }

    // ---------------------------------------------------------------- grants

    private static String table(Grant.Resource r) {
        return r == Grant.Resource.EXPERIMENT ? "auth_experiment_permissions" : "auth_model_permissions";
    }

    private static String key(Grant.Resource r) {
        return r == Grant.Resource.EXPERIMENT ? "experiment_id" : "name";
    }

    /** The principal column and id of a user's or a team's grant. */
    private record Principal(String column, long id) {}

    private static Principal principal(Handle h, String username, String team) {
        if (team != null) {
            return new Principal("team_id", requireTeamId(h, team));
        }
        return new Principal("user_id", requireUser(h, username).id());
    }

    @Override
    public Grant createGrant(Grant.Resource resource, String target, String username, String team, Permission permission) {
        return db.write(h -> {
            Principal p = principal(h, username, team);
            if (findGrant(h, resource, target, p).isPresent()) {
                throw LabbookException.exists("%s permission (%s=%s, %s=%s) already exists.",
                        resource == Grant.Resource.EXPERIMENT ? "Experiment" : "Registered model", key(resource), target,
                        team != null ? "team" : "username", team != null ? team : username);
            }
            h.execute("INSERT INTO " + table(resource) + " (" + key(resource) + ", " + p.column() + ", permission) VALUES (?, ?, ?)",
                    target, p.id(), permission.name());
            bump(h);
            return findGrant(h, resource, target, p).orElseThrow();
        });
    }

    @Override
    public Optional<Grant> getGrant(Grant.Resource resource, String target, String username, String team) {
        return db.read(h -> findGrant(h, resource, target, principal(h, username, team)));
    }

    @Override
    public Grant updateGrant(Grant.Resource resource, String target, String username, String team, Permission permission) {
        return db.write(h -> {
            Principal p = principal(h, username, team);
            requireGrant(h, resource, target, p);
            h.execute("UPDATE " + table(resource) + " SET permission = ? WHERE " + key(resource) + " = ? AND " + p.column() + " = ?",
                    permission.name(), target, p.id());
            bump(h);
            return findGrant(h, resource, target, p).orElseThrow();
        });
    }

    @Override
    public void deleteGrant(Grant.Resource resource, String target, String username, String team) {
        db.write(h -> {
            Principal p = principal(h, username, team);
            requireGrant(h, resource, target, p);
            h.execute("DELETE FROM " + table(resource) + " WHERE " + key(resource) + " = ? AND " + p.column() + " = ?", target, p.id());
            return bump(h);
        });
    }

    private static void requireGrant(Handle h, Grant.Resource resource, String target, Principal p) {
        if (findGrant(h, resource, target, p).isEmpty()) {
            throw LabbookException.notFound("%s permission with %s=%s and %s=%d not found",
                    resource == Grant.Resource.EXPERIMENT ? "Experiment" : "Registered model", key(resource), target,
                    p.column(), p.id());
        }
    }

    private static Optional<Grant> findGrant(Handle h, Grant.Resource resource, String target, Principal p) {
        return grants(h, resource, "g." + key(resource) + " = ? AND g." + p.column() + " = ?", target, p.id()).stream().findFirst();
    }

    private static List<Grant> grants(Handle h, Grant.Resource resource, String where, Object... args) {
        var q = h.createQuery("SELECT g." + key(resource) + ", g.user_id, u.username, t.name, g.permission FROM " + table(resource)
                + " g LEFT JOIN auth_users u ON u.id = g.user_id LEFT JOIN auth_teams t ON t.id = g.team_id WHERE " + where
                + " ORDER BY t.name, u.username");
        for (int i = 0; i < args.length; i++) {
            q.bind(i, args[i]);
        }
        return q.map((rs, c) -> {
            long uid = rs.getLong(2);
            Long userId = rs.wasNull() ? null : uid;
            return new Grant(resource, rs.getString(1), userId, rs.getString(3), rs.getString(4), Permission.parse(rs.getString(5)));
        }).list();
    }

    @Override
    public List<Grant> grantsOn(Grant.Resource resource, String target) {
        return db.read(h -> grants(h, resource, "g." + key(resource) + " = ?", target));
    }

    @Override
    public List<Grant> grantsOf(Grant.Resource resource, String username) {
        return db.read(h -> grants(h, resource, "u.username = ?", username));
    }

    @Override
    public Optional<Permission> effectivePermission(Grant.Resource resource, String target, long userId) {
        return db.read(h -> {
            List<String> levels = h.createQuery("SELECT permission FROM " + table(resource) + " WHERE " + key(resource)
                            + " = ? AND (user_id = ? OR team_id IN (SELECT team_id FROM auth_team_members WHERE user_id = ?))")
                    .bind(0, target).bind(1, userId).bind(2, userId).mapTo(String.class).list();
            Permission best = null;
            for (String l : levels) {
                best = Permission.parse(l).max(best);
            }
            return Optional.ofNullable(best);
        });
    }

    @Override
    public void deleteGrantsOn(Grant.Resource resource, String target) {
        db.write(h -> {
            h.execute("DELETE FROM " + table(resource) + " WHERE " + key(resource) + " = ?", target);
            return bump(h);
        });
    }

    @Override
    public void renameGrants(Grant.Resource resource, String from, String to) {
        db.write(h -> {
            h.execute("UPDATE " + table(resource) + " SET " + key(resource) + " = ? WHERE " + key(resource) + " = ?", to, from);
            return bump(h);
        });
    }

    // ---------------------------------------------------------------- teams

    @Override
    public Team createTeam(String name) {
        long now = clock.getAsLong();
        return db.write(h -> {
            if (teamId(h, name).isPresent()) {
                throw LabbookException.exists("Team '%s' already exists.", name);
            }
            long id = h.createQuery("INSERT INTO auth_teams (name, created_time) VALUES (?, ?) RETURNING id")
                    .bind(0, name).bind(1, now).mapTo(Long.class).one();
            bump(h);
            return new Team(id, name, now, List.of());
        });
    }

    private static Optional<Long> teamId(Handle h, String name) {
        return h.createQuery("SELECT id FROM auth_teams WHERE name = ?").bind(0, name).mapTo(Long.class).findOne();
    }

    private static long requireTeamId(Handle h, String name) {
        return teamId(h, name).orElseThrow(() -> LabbookException.notFound("Team with name=%s not found", name));
    }

    @Override
    public Optional<Team> getTeam(String name) {
        return db.read(h -> teams(h, "WHERE t.name = ?", name).stream().findFirst());
    }

    @Override
    public List<Team> listTeams() {
        return db.read(h -> teams(h, ""));
    }

    private static List<Team> teams(Handle h, String where, Object... args) {
        var q = h.createQuery("SELECT t.id, t.name, t.created_time, u.username FROM auth_teams t"
                + " LEFT JOIN auth_team_members m ON m.team_id = t.id LEFT JOIN auth_users u ON u.id = m.user_id "
                + where + " ORDER BY t.name, u.username");
        for (int i = 0; i < args.length; i++) {
            q.bind(i, args[i]);
        }
        Map<Long, Object[]> rows = new LinkedHashMap<>();
        q.map((rs, c) -> {
            Object[] row = rows.computeIfAbsent(rs.getLong(1), id -> {
                try {
                    return new Object[] {rs.getString(2), rs.getLong(3), new ArrayList<String>()};
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            String member = rs.getString(4);
            if (member != null) {
                @SuppressWarnings("unchecked")
                List<String> members = (List<String>) row[2];
                members.add(member);
            }
            return 0;
        }).list();
        List<Team> out = new ArrayList<>();
        rows.forEach((id, row) -> {
            @SuppressWarnings("unchecked")
            List<String> members = (List<String>) row[2];
            out.add(new Team(id, (String) row[0], (Long) row[1], members));
        });
        return out;
    }

    @Override
    public void deleteTeam(String name) {
        db.write(h -> {
            long id = requireTeamId(h, name);
            h.execute("DELETE FROM auth_experiment_permissions WHERE team_id = ?", id);
            h.execute("DELETE FROM auth_model_permissions WHERE team_id = ?", id);
            h.execute("DELETE FROM auth_team_members WHERE team_id = ?", id);
            h.execute("DELETE FROM auth_teams WHERE id = ?", id);
            return bump(h);
        });
    }

    @Override
    public void addMember(String team, String username) {
        db.write(h -> {
            long teamId = requireTeamId(h, team);
            long userId = requireUser(h, username).id();
            h.execute("INSERT INTO auth_team_members (team_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", teamId, userId);
            return bump(h);
        });
    }

    @Override
    public void removeMember(String team, String username) {
        db.write(h -> {
            long teamId = requireTeamId(h, team);
            long userId = requireUser(h, username).id();
            h.execute("DELETE FROM auth_team_members WHERE team_id = ? AND user_id = ?", teamId, userId);
            return bump(h);
        });
    }

    // ---------------------------------------------------------------- tokens

    @Override
    public Token createToken(String id, long userId, String name, String secretHash, boolean readOnly, Long expiresTime) {
        long now = clock.getAsLong();
        return db.write(h -> {
            h.execute("INSERT INTO auth_tokens (id, user_id, name, secret_hash, read_only, created_time, expires_time)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, userId, name, secretHash, readOnly, now, expiresTime);
            bump(h);
            return tokens(h, "t.id = ?", id).get(0);
        });
    }

    @Override
    public Optional<Token> getToken(String id) {
        return db.read(h -> tokens(h, "t.id = ?", id).stream().findFirst());
    }

    @Override
    public Optional<String> tokenSecretHash(String id) {
        return db.read(h -> h.createQuery("SELECT secret_hash FROM auth_tokens WHERE id = ?").bind(0, id)
                .mapTo(String.class).findOne());
    }

    @Override
    public List<Token> listTokens(Long userId) {
        return db.read(h -> userId == null ? tokens(h, "1 = 1") : tokens(h, "t.user_id = ?", userId));
    }

    private static List<Token> tokens(Handle h, String where, Object... args) {
        var q = h.createQuery("SELECT " + TOKEN_COLUMNS + " FROM auth_tokens t JOIN auth_users u ON u.id = t.user_id WHERE "
                + where + " ORDER BY t.created_time DESC, t.id");
        for (int i = 0; i < args.length; i++) {
            q.bind(i, args[i]);
        }
        return q.map((rs, c) -> new Token(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                rs.getLong(6), nullableLong(rs, 7), nullableLong(rs, 8))).list();
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    @Override
    public boolean revokeToken(String id) {
        long now = clock.getAsLong();
        return db.write(h -> {
            int n = h.execute("UPDATE auth_tokens SET revoked_time = ? WHERE id = ? AND revoked_time IS NULL", now, id);
            bump(h);
            return n > 0;
        });
    }

    // ---------------------------------------------------------------- sessions

    @Override
    public void createSession(String idHash, long userId, String csrfToken, long expiresTime) {
        long now = clock.getAsLong();
        db.write(h -> {
            // sessions past their end are dropped as new ones begin: the table stays small
            h.execute("DELETE FROM auth_sessions WHERE expires_time <= ?", now);
            return h.execute("INSERT INTO auth_sessions (id_hash, user_id, csrf_token, created_time, expires_time) VALUES (?, ?, ?, ?, ?)",
                    idHash, userId, csrfToken, now, expiresTime);
        });
    }

    @Override
    public Optional<Session> getSession(String idHash) {
        return db.read(h -> h.createQuery("SELECT user_id, csrf_token, created_time, expires_time FROM auth_sessions WHERE id_hash = ?")
                .bind(0, idHash).map((rs, c) -> new Session(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4))).findOne());
    }

    @Override
    public void deleteSession(String idHash) {
        db.write(h -> {
            h.execute("DELETE FROM auth_sessions WHERE id_hash = ?", idHash);
            return bump(h);
        });
    }

    // ---------------------------------------------------------------- audit

    @Override
    public void audit(String actor, String action, String target, String detail) {
        long now = clock.getAsLong();
        db.write(h -> h.execute("INSERT INTO auth_audit (time, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                now, actor, action, target, detail));
    }

    @Override
    public List<AuditEvent> auditLog(int limit, Long beforeId) {
        return db.read(h -> h.createQuery("SELECT id, time, actor, action, target, detail FROM auth_audit WHERE id < ? ORDER BY id DESC LIMIT ?")
                .bind(0, beforeId == null ? Long.MAX_VALUE : beforeId).bind(1, limit)
                .map((rs, c) -> new AuditEvent(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)))
                .list());
    }

    // ---------------------------------------------------------------- changes

    @Override
    public long version() {
        return db.read(h -> h.createQuery("SELECT COALESCE(MAX(version), 0) FROM auth_state WHERE id = 1").mapTo(Long.class).one());
    }

    private static int bump(Handle h) {
        // the row is made by the first change (the migration seeds nothing, see V10)
        return h.execute("INSERT INTO auth_state (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = auth_state.version + 1");
    }
}
