package io.latchkey.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.latchkey.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several lease holders on one database, as several instances are: of those that tick in the same period only
 * one runs the job, and a holder that crashed holding the lease stops blocking the others once it runs out.
 */
@IntegrationTest
class ClusterJobsTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void ofHoldersTickingInTheSamePeriodExactlyOneRunsTheJob() throws Exception {
        String job = "test-one-runs-" + UUID.randomUUID();
        List<ClusterJobs> instances = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            instances.add(holder("instance-" + i));
        }
        ConcurrentLinkedQueue<String> ran = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(instances.size());
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (ClusterJobs instance : instances) {
                for (int tick = 0; tick < 3; tick++) {
                    Callable<Boolean> attempt = () -> {
                        start.await();
                        return instance.runIfLeaseFree(job, Duration.ofMinutes(5), () -> ran.add(instance.holder()));
                    };
                    outcomes.add(threads.submit(attempt));
                }
            }
            start.countDown();
            int ranCount = 0;
            for (Future<Boolean> outcome : outcomes) {
                ranCount += outcome.get() ? 1 : 0;
            }
            // The holder renews its own lease, so it may run once per tick; no other holder runs at all.
            assertThat(ran).isNotEmpty().hasSize(ranCount);
            assertThat(ran.stream().distinct()).as("one instance runs the job, the others skip it").hasSize(1);
            String winner = ran.peek();
            for (ClusterJobs instance : instances) {
                if (!instance.holder().equals(winner)) {
                    assertThat(instance.runIfLeaseFree(job, Duration.ofMinutes(5), () -> ran.add("late")))
                            .as(instance.holder() + " in the same period").isFalse();
                }
            }
            assertThat(new JobLeases(jdbc).current(job).holder()).isEqualTo(winner);
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aCrashedHoldersLeaseRunsOutAndAnotherInstanceTakesOver() throws Exception {
        String job = "test-crash-" + UUID.randomUUID();
        ClusterJobs crashed = holder("crashed");
        ClusterJobs survivor = holder("survivor");
        AtomicInteger runs = new AtomicInteger();
        Duration lease = Duration.ofSeconds(1);

        assertThat(crashed.runIfLeaseFree(job, lease, runs::incrementAndGet)).isTrue();
        // "crashed" never ticks again
        assertThat(survivor.runIfLeaseFree(job, lease, runs::incrementAndGet)).as("lease still held").isFalse();
        assertThat(runs).hasValue(1);

        Instant until = new JobLeases(jdbc).current(job).until();
        boolean tookOver = false;
        Instant giveUp = Instant.now().plusSeconds(30);
        while (!tookOver && Instant.now().isBefore(giveUp)) {
            Thread.sleep(200);
            tookOver = survivor.runIfLeaseFree(job, lease, runs::incrementAndGet);
        }
        assertThat(tookOver).as("the survivor takes the lease once it has run out").isTrue();
        assertThat(runs).hasValue(2);
        JobLeases.Lease now = new JobLeases(jdbc).current(job);
        assertThat(now.holder()).isEqualTo("survivor");
        assertThat(now.until()).isAfter(until);
    }

    @Test
    void scheduledOnTwoInstancesTheJobRunsOncePerPeriod() throws Exception {
        String job = "test-scheduled-" + UUID.randomUUID();
        Duration period = Duration.ofMillis(400);
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.initialize();
        ClusterJobs first = new ClusterJobs(new JobLeases(jdbc), scheduler, "first", null);
        ClusterJobs second = new ClusterJobs(new JobLeases(jdbc), scheduler, "second", null);
        ConcurrentLinkedQueue<Instant> runs = new ConcurrentLinkedQueue<>();
        Instant started = Instant.now();
        try {
            first.scheduleOnOneInstance(job, period, () -> runs.add(Instant.now()));
            second.scheduleOnOneInstance(job, period, () -> runs.add(Instant.now()));
            Thread.sleep(3_000);
        }
        finally {
            first.destroy();
            second.destroy();
            scheduler.shutdown();
        }
        long periods = Duration.between(started, Instant.now()).toMillis() / period.toMillis();
        assertThat(runs).as("it ran").isNotEmpty();
        assertThat((long) runs.size()).as("two instances ticking, at most one run per period").isLessThanOrEqualTo(periods);
    }

    /** A holder that is only asked to run now, never scheduled. */
    private ClusterJobs holder(String name) {
        return new ClusterJobs(new JobLeases(jdbc), new ThreadPoolTaskScheduler(), name, null);
    }
}
