package io.latchkey.logout;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL, instances that look for due deliveries at the same moment claim different ones: rows another
 * transaction holds are skipped, not waited for. The rows are due only far in the future, so this server's own
 * worker never sees them.
 */
@IntegrationTest
class LogoutDeliveryClaimsTest {

    private static final Instant FUTURE = Instant.parse("2100-01-01T00:00:00Z");

    @Autowired
    LogoutDeliveries deliveries;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void cleanUp() {
        jdbc.update("DELETE FROM backchannel_logout_deliveries WHERE subject = 'claims-test'");
    }

    @Test
    void concurrentClaimsNeverShareADelivery() throws Exception {
        for (int i = 0; i < 4; i++) {
            deliveries.enqueue("client-" + i, "claims-test", "sid-claims", FUTURE);
        }
        CountDownLatch firstHolds = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        CompletableFuture<List<LogoutDeliveries.Delivery>> first = CompletableFuture.supplyAsync(() ->
                transactions.execute(status -> {
                    List<LogoutDeliveries.Delivery> due = deliveries.lockDue(FUTURE, 2);
                    due.forEach(delivery -> deliveries.claim(delivery, FUTURE, FUTURE.plusSeconds(60)));
                    firstHolds.countDown();
                    await(secondDone);
                    return due;
                }));
        assertThat(firstHolds.await(30, TimeUnit.SECONDS)).isTrue();

        List<LogoutDeliveries.Delivery> second = transactions.execute(status -> deliveries.lockDue(FUTURE, 10));
        secondDone.countDown();

        List<LogoutDeliveries.Delivery> firstClaimed = first.get(30, TimeUnit.SECONDS);
        assertThat(firstClaimed).hasSize(2);
        assertThat(second).hasSize(2);
        assertThat(second).extracting(LogoutDeliveries.Delivery::id)
                .doesNotContainAnyElementsOf(firstClaimed.stream().map(LogoutDeliveries.Delivery::id).toList());
        // once the first claim committed, its rows are leased and no longer due
        List<LogoutDeliveries.Delivery> stillDue = transactions.execute(status -> deliveries.lockDue(FUTURE, 10));
        assertThat(stillDue).hasSize(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
