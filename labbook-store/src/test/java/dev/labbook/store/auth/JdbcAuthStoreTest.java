package dev.labbook.store.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import dev.labbook.store.auth.Grant.Resource;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth store on a real SQLite file (migration V10), with a clock the test drives. */
class JdbcAuthStoreTest {
    @TempDir
    Path dir;
    private Database db;
    private JdbcAuthStore store;
    private final AtomicLong clock = new AtomicLong(1_000_000);

    @BeforeEach
    void open() {
        db = TestDatabases.open(dir);
        store = new JdbcAuthStore(db, clock::get);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void usersAreUniqueAndKeepTheirHash() {
        User alice = store.createUser("alice", "hash-1", false);
        assertEquals(Optional.of(alice), store.getUser("alice"));
        assertEquals(Optional.of(alice), store.getUser(alice.id()));
        assertEquals(Optional.of("hash-1"), store.passwordHash("alice"));
        LabbookException dup = assertThrows(LabbookException.class, () -> store.createUser("alice", "x", true));
        assertEquals(ErrorCode.RESOURCE_ALREADY_EXISTS, dup.code());
        store.updateAdmin("alice", true);
        assertTrue(store.getUser("alice").orElseThrow().admin());
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                assertThrows(LabbookException.class, () -> store.updatePassword("bob", "h")).code());
    }

    @Test
    void passwordChangeEndsSessions() {
        User alice = store.createUser("alice", "h", false);
        store.createSession("s1", alice.id(), "csrf", 2_000_000);
        assertTrue(store.getSession("s1").isPresent());
        store.updatePassword("alice", "h2");
        assertTrue(store.getSession("s1").isEmpty());
        assertEquals(Optional.of("h2"), store.passwordHash("alice"));
    }

    @Test
    void effectivePermissionIsTheHighestOfOwnAndTeams() {
        User alice = store.createUser("alice", "h", false);
        store.createUser("bob", "h", false);
        assertEquals(Optional.empty(), store.effectivePermission(Resource.EXPERIMENT, "7", alice.id()));
        store.createGrant(Resource.EXPERIMENT, "7", "alice", null, Permission.NO_PERMISSIONS);
        assertEquals(Optional.of(Permission.NO_PERMISSIONS), store.effectivePermission(Resource.EXPERIMENT, "7", alice.id()));
        store.createTeam("vision");
        store.addMember("vision", "alice");
        store.createGrant(Resource.EXPERIMENT, "7", null, "vision", Permission.EDIT);
        assertEquals(Optional.of(Permission.EDIT), store.effectivePermission(Resource.EXPERIMENT, "7", alice.id()));
        store.updateGrant(Resource.EXPERIMENT, "7", "alice", null, Permission.MANAGE);
        assertEquals(Optional.of(Permission.MANAGE), store.effectivePermission(Resource.EXPERIMENT, "7", alice.id()));
        // grants on another resource kind or target do not count
        assertEquals(Optional.empty(), store.effectivePermission(Resource.REGISTERED_MODEL, "7", alice.id()));
        assertEquals(Optional.empty(), store.effectivePermission(Resource.EXPERIMENT, "8", alice.id()));
        List<Grant> grants = store.grantsOn(Resource.EXPERIMENT, "7");
        assertEquals(2, grants.size());
        assertEquals(List.of("alice"), store.getTeam("vision").orElseThrow().members());
        store.removeMember("vision", "alice");
        assertEquals(Optional.of(Permission.MANAGE), store.effectivePermission(Resource.EXPERIMENT, "7", alice.id()));
        store.deleteGrant(Resource.EXPERIMENT, "7", "alice", null);
        assertEquals(Optional.empty(), store.effectivePermission(Resource.EXPERIMENT, "7", alice.id()));
        assertEquals(ErrorCode.RESOURCE_ALREADY_EXISTS, assertThrows(LabbookException.class,
                () -> store.createGrant(Resource.EXPERIMENT, "7", null, "vision", Permission.READ)).code());
        store.deleteTeam("vision");
        assertTrue(store.grantsOn(Resource.EXPERIMENT, "7").isEmpty());
    }

    @Test
    void modelGrantsFollowRenamesAndDeletes() {
        User alice = store.createUser("alice", "h", false);
        store.createGrant(Resource.REGISTERED_MODEL, "m1", "alice", null, Permission.READ);
        store.renameGrants(Resource.REGISTERED_MODEL, "m1", "m2");
        assertEquals(Optional.of(Permission.READ), store.effectivePermission(Resource.REGISTERED_MODEL, "m2", alice.id()));
        store.deleteGrantsOn(Resource.REGISTERED_MODEL, "m2");
        assertEquals(Optional.empty(), store.effectivePermission(Resource.REGISTERED_MODEL, "m2", alice.id()));
    }

    @Test
    void tokensExpireAndRevoke() {
        User alice = store.createUser("alice", "h", false);
        Token t = store.createToken("tid", alice.id(), "ci", "secret-hash", true, 1_500_000L);
        assertTrue(t.readOnly());
        assertEquals("alice", t.username());
        assertTrue(t.usableAt(1_400_000));
        assertFalse(t.usableAt(1_500_000));
        assertEquals(Optional.of("secret-hash"), store.tokenSecretHash("tid"));
        assertTrue(store.revokeToken("tid"));
        assertFalse(store.revokeToken("tid"));
        assertFalse(store.getToken("tid").orElseThrow().usableAt(1_000_001));
        assertEquals(1, store.listTokens(alice.id()).size());
    }

    @Test
    void everyChangeBumpsTheVersion() {
        long v0 = store.version();
        store.createUser("alice", "h", false);
        long v1 = store.version();
        assertTrue(v1 > v0);
        store.createGrant(Resource.EXPERIMENT, "1", "alice", null, Permission.READ);
        assertTrue(store.version() > v1);
    }

    @Test
    void deletingAUserDropsWhatTheyHeld() {
        User alice = store.createUser("alice", "h", false);
        store.createGrant(Resource.EXPERIMENT, "1", "alice", null, Permission.READ);
        store.createToken("tid", alice.id(), "ci", "x", false, null);
        store.deleteUser("alice");
        assertTrue(store.getUser("alice").isEmpty());
        assertTrue(store.grantsOn(Resource.EXPERIMENT, "1").isEmpty());
        assertTrue(store.getToken("tid").isEmpty());
    }

    @Test
    void auditLogPagesNewestFirst() {
        store.audit("admin", "create_user", "alice", null);
        store.audit("admin", "delete_user", "alice", null);
        List<AuditEvent> all = store.auditLog(10, null);
        assertEquals(List.of("delete_user", "create_user"), all.stream().map(AuditEvent::action).toList());
        assertEquals(List.of("create_user"), store.auditLog(10, all.get(0).id()).stream().map(AuditEvent::action).toList());
    }
}
