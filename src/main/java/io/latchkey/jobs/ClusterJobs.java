package io.latchkey.jobs;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import io.latchkey.database.DatabaseAvailability;

/**
 * Runs periodic jobs. A job that works on the shared database (key rotation, purges) is scheduled with
 * {@link #scheduleOnOneInstance}: every instance ticks every period, but only the one that takes the job's lease
 * in {@code job_leases} runs it; the lease lasts one period, so the others skip that period, and a holder that
 * crashed stops renewing and another instance takes over once its lease runs out. A job about the instance's own
 * memory goes through {@link #scheduleOnEveryInstance}. Either way a failure is logged and tried again next period.
 *
 * <p>A run that outlasts its period may overlap the next one elsewhere: keep jobs short (batches) and harmless
 * to run twice.
 */
@Component
public class ClusterJobs implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ClusterJobs.class);
    private static final Duration EXCLUSIVE_POLL = Duration.ofMillis(200);

    private final JobLeases leases;
    private final TaskScheduler scheduler;
    private final String holder;
    private final DatabaseAvailability database;
    private final List<ScheduledFuture<?>> scheduled = new CopyOnWriteArrayList<>();

    @Autowired
    ClusterJobs(JobLeases leases, TaskScheduler scheduler, DatabaseAvailability database) {
        this(leases, scheduler, defaultHolder(), database);
    }

    /** @param database null: the database is taken to be always reachable (tests of the lease alone) */
    ClusterJobs(JobLeases leases, TaskScheduler scheduler, String holder, DatabaseAvailability database) {
        this.leases = leases;
        this.scheduler = scheduler;
        this.holder = holder;
        this.database = database;
    }

    /**
     * Runs {@code job} every {@code period}, first one period from now, on whichever single instance takes its
     * lease for that period. {@code name} identifies the job across instances: keep it stable.
     */
    public void scheduleOnOneInstance(String name, Duration period, Runnable job) {
        schedule(name, period, () -> runIfLeaseFree(name, period, job));
    }

    /** Runs {@code job} every {@code period} on this instance, first one period from now. */
    public void scheduleOnEveryInstance(String name, Duration period, Runnable job) {
        schedule(name, period, () -> {
            job.run();
            return true;
        });
    }

    /**
     * Runs {@code job} now if this instance takes the job's lease for {@code lease}; false (and nothing run) when
     * another instance holds it.
     */
    public boolean runIfLeaseFree(String name, Duration lease, Runnable job) {
        if (!leases.tryAcquire(name, holder, lease)) {
            log.debug("Job {} skipped: another instance holds its lease", name);
            return false;
        }
        job.run();
        return true;
    }

    /**
     * Runs {@code work} while no other instance runs work of the same name: waits for the lease (up to
     * {@code maxWait}), runs, gives the lease back. For start-up work that several instances starting at once on a
     * new database would otherwise race on (the first administrator, the declared clients). A holder that dies
     * mid-way holds the lease for {@code maxWait} at most.
     */
    public void runExclusively(String name, Duration maxWait, Runnable work) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (!leases.tryAcquire(name, holder, maxWait)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Another instance has held the lease of " + name + " for more than "
                        + maxWait + "; if it crashed, its lease runs out by itself: start again");
            }
            try {
                Thread.sleep(EXCLUSIVE_POLL.toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the lease of " + name, ex);
            }
        }
        try {
            work.run();
        }
        finally {
            leases.release(name, holder);
        }
    }

    /** This instance's name in {@code job_leases}. */
    public String holder() {
        return holder;
    }

    private void schedule(String name, Duration period, Tick tick) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("The period of job " + name + " must be positive");
        }
        scheduled.add(scheduler.scheduleWithFixedDelay(() -> {
            if (database != null && !database.isAvailable()) {
                return; // the outage is logged once, where it is noticed; a stack trace per run would drown it
            }
            try {
                tick.run();
            }
            catch (RuntimeException ex) {
                if (database != null && database.reportFailure(ex)) {
                    return;
                }
                log.error("Job {} failed; will try again in {}", name, period, ex);
            }
        }, Instant.now().plus(period), period));
    }

    @Override
    public void destroy() {
        scheduled.forEach(task -> task.cancel(false));
    }

    /** "pid@host" and a random part: tells operators which instance holds a lease. */
    private static String defaultHolder() {
        String process = ManagementFactory.getRuntimeMXBean().getName();
        String name = process + "/" + UUID.randomUUID().toString().substring(0, 8);
        return name.length() <= 200 ? name : name.substring(name.length() - 200);
    }

    @FunctionalInterface
    private interface Tick {
        boolean run();
    }
}
