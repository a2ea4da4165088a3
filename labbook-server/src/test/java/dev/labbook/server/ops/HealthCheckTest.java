package dev.labbook.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link HealthCheck}: a hung dependency is reported as timed out and holds one probe, not one per check. */
class HealthCheckTest {

    @Test
    void aProbeThatDoesNotAnswerTimesOutAndIsJoinedRatherThanStartedAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        try (HealthCheck check = new HealthCheck(Duration.ofMillis(200))) {
            check.add("database", () -> {
                started.incrementAndGet();
                release.await();
            });

            HealthCheck.Report first = check.check();
            assertFalse(first.up());
            assertEquals(List.of(new HealthCheck.Status("database", false, "timeout")), first.statuses());

            HealthCheck.Report second = check.check();
            assertEquals(List.of("database"), second.down());
            assertEquals(1, started.get(), "the hung probe is waited for again, not started twice");

            release.countDown();
            // once the probe answers, a check sees the database up again
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!check.check().up()) {
                assertTrue(System.nanoTime() < deadline, "the database never came back up");
            }
            assertTrue(started.get() >= 1);
        }
    }

    @Test
    void aProbeThatThrowsIsAnErrorNamingItsComponentAndTheOthersStayUp() {
        try (HealthCheck check = new HealthCheck(Duration.ofSeconds(30))) {
            check.add("database", () -> { })
                    .add("artifact_store", () -> {
                        throw new java.io.IOException("disk gone");
                    });
            HealthCheck.Report r = check.check();
            assertEquals(List.of("artifact_store"), r.down());
            assertEquals(new HealthCheck.Status("database", true, null), r.statuses().get(0));
            assertEquals(new HealthCheck.Status("artifact_store", false, "error"), r.statuses().get(1));
        }
    }
}
