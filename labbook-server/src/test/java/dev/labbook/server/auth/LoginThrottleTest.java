package dev.labbook.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.server.auth.AuthServer.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failed sign-ins are limited per user and per address: 429 with Retry-After, even for the right password. */
class LoginThrottleTest {
    private static final String API = "/api/2.0/mlflow/";

    @Test
    void failuresPerUserAndPerAddressAreLimited() {
        try (AuthServer server = new AuthServer(AuthConfig.OFF.on().withAdminPassword(AuthServer.ADMIN_PASSWORD)
                .withThrottle(3, Duration.ofMinutes(10)))) {
            server.user("victim");
            server.user("bystander");
            for (int i = 0; i < 3; i++) {
                assertEquals(401, server.basic("victim", "guess-" + i).get(API + "experiments/search").status());
            }
            Response blocked = server.basic("victim", "victim-pass").get(API + "experiments/search");
            assertEquals(429, blocked.status());
            assertEquals("REQUEST_LIMIT_EXCEEDED", blocked.errorCode());
            assertTrue(Long.parseLong(blocked.header("Retry-After")) > 0);
            // the address failed three times too: the dashboard's sign-in from it waits as well
            Response login = server.anonymous().post(RouteRules.AUTH + "login", Map.of("username", "bystander", "password", "bystander-pass"));
            assertEquals(429, login.status());
            assertTrue(Long.parseLong(login.header("Retry-After")) > 0);
        }
    }
}
