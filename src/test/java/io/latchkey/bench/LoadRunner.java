package io.latchkey.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Closed-loop load: each worker thread runs one operation after the other, as fast as the server answers.
 * All workers are set up first (untimed), then warm up together, then are timed together; an operation
 * counts when it started in the timed phase. Several scenarios can run at once, each with its own workers,
 * over the same phases (the mixed load).
 */
final class LoadRunner {

    private static final int MAX_ERROR_SAMPLES = 6;

    private final String baseUrl;
    private final BenchClients clients;
    private final Duration warmup;
    private final Duration timed;
    private final CpuMeter cpu;

    LoadRunner(String baseUrl, BenchClients clients, Duration warmup, Duration timed, CpuMeter cpu) {
        this.baseUrl = baseUrl;
        this.clients = clients;
        this.warmup = warmup;
        this.timed = timed;
        this.cpu = cpu;
    }

    ScenarioResult run(Scenario scenario, int concurrency) throws InterruptedException {
        return runTogether(List.of(new Load(scenario, concurrency))).get(0);
    }

    /** Runs the loads at the same time; one result per load, in order. */
    List<ScenarioResult> runTogether(List<Load> loads) throws InterruptedException {
        int totalWorkers = loads.stream().mapToInt(Load::concurrency).sum();
        CountDownLatch setUp = new CountDownLatch(totalWorkers);
        CountDownLatch go = new CountDownLatch(1);
        Phases phases = new Phases();
        List<List<WorkerThread>> threads = new ArrayList<>();
        for (Load load : loads) {
            List<WorkerThread> workers = new ArrayList<>();
            for (int i = 0; i < load.concurrency(); i++) {
                WorkerThread worker = new WorkerThread(load.scenario(), i, setUp, go, phases);
                workers.add(worker);
                worker.start();
            }
            threads.add(workers);
        }
        setUp.await();
        long now = System.nanoTime();
        phases.timedStart = now + warmup.toNanos();
        phases.end = phases.timedStart + timed.toNanos();
        go.countDown();
        sleepUntil(phases.timedStart);
        CpuMeter.Snapshot cpuAtStart = cpu.snapshot();
        sleepUntil(phases.end);
        CpuMeter.Usage cpuUse = CpuMeter.between(cpuAtStart, cpu.snapshot());
        List<ScenarioResult> results = new ArrayList<>();
        for (int i = 0; i < loads.size(); i++) {
            for (WorkerThread worker : threads.get(i)) {
                worker.join();
            }
            results.add(result(loads.get(i), threads.get(i), cpuUse));
        }
        return results;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    private ScenarioResult result(Load load, List<WorkerThread> workers, CpuMeter.Usage cpuUse) {
        long operations = 0;
        long errors = 0;
        long warmupErrors = 0;
        int setupFailures = 0;
        double throughput = 0;
        Map<String, Integer> errorSamples = new LinkedHashMap<>();
        List<Samples> samples = new ArrayList<>();
        for (WorkerThread worker : workers) {
            operations += worker.samples.size();
            errors += worker.errors;
            warmupErrors += worker.warmupErrors;
            setupFailures += worker.setupFailed ? 1 : 0;
            throughput += worker.successRate();
            samples.add(worker.samples);
            worker.errorSamples.forEach((message, count) -> {
                if (errorSamples.containsKey(message) || errorSamples.size() < MAX_ERROR_SAMPLES) {
                    errorSamples.merge(message, count, Integer::sum);
                }
            });
        }
        return new ScenarioResult(load.scenario().name(), load.concurrency(), load.scenario().requestsPerOperation(),
                timed.toNanos() / 1e9, operations, errors, warmupErrors, setupFailures, throughput, cpuUse,
                Samples.merge(samples), errorSamples);
    }

    /** A scenario and how many workers run it. */
    record Load(Scenario scenario, int concurrency) {
    }

    /** When the timed phase starts and when the load ends, in System.nanoTime(); set before the start signal. */
    private static final class Phases {
        volatile long timedStart;
        volatile long end;
    }

    private final class WorkerThread extends Thread {

        private final Scenario scenario;
        private final int index;
        private final CountDownLatch setUp;
        private final CountDownLatch go;
        private final Phases phases;
        final Samples samples = new Samples();
        final Map<String, Integer> errorSamples = new LinkedHashMap<>();
        long errors;
        long warmupErrors;
        boolean setupFailed;
        long firstTimedStart = -1;
        long lastTimedFinish;

        WorkerThread(Scenario scenario, int index, CountDownLatch setUp, CountDownLatch go, Phases phases) {
            super("bench-" + scenario.name() + "-" + index);
            this.scenario = scenario;
            this.index = index;
            this.setUp = setUp;
            this.go = go;
            this.phases = phases;
            setDaemon(true);
        }

        @Override
        public void run() {
            Scenario.Worker worker;
            try {
                worker = scenario.workers().create(index, new OAuthFlows(new HttpAgent(baseUrl), clients));
            }
            catch (Exception ex) {
                setupFailed = true;
                note("setup: " + message(ex));
                return;
            }
            finally {
                setUp.countDown();
            }
            try {
                go.await();
            }
            catch (InterruptedException ex) {
                return;
            }
            long timedStart = phases.timedStart;
            long end = phases.end;
            while (System.nanoTime() < end) {
                try {
                    worker.prepare();
                }
                catch (Exception ex) {
                    failed(System.nanoTime() >= timedStart, "prepare: " + message(ex));
                    pause();
                    continue;
                }
                long started = System.nanoTime();
                if (started >= end) {
                    break;
                }
                String failure = null;
                try {
                    worker.run();
                }
                catch (Exception ex) {
                    failure = message(ex);
                }
                long finished = System.nanoTime();
                boolean isTimed = started >= timedStart;
                if (isTimed) {
                    samples.add(started - timedStart, finished - started);
                    if (firstTimedStart < 0) {
                        firstTimedStart = started;
                    }
                    lastTimedFinish = finished;
                }
                if (failure != null) {
                    failed(isTimed, failure);
                }
            }
        }

        /**
         * Successful operations per second of this worker while it was timed: from the start of its first timed
         * operation to the end of its last, so that neither an operation still running when the timed phase
         * began nor one that ran past its end skews the rate (it would, for slow operations such as logins).
         */
        double successRate() {
            if (firstTimedStart < 0 || lastTimedFinish <= firstTimedStart) {
                return 0;
            }
            return (samples.size() - errors) / ((lastTimedFinish - firstTimedStart) / 1e9);
        }

        private void failed(boolean isTimed, String message) {
            if (isTimed) {
                errors++;
            }
            else {
                warmupErrors++;
            }
            note((isTimed ? "" : "warm-up: ") + message);
        }

        private void note(String message) {
            if (errorSamples.containsKey(message) || errorSamples.size() < MAX_ERROR_SAMPLES) {
                errorSamples.merge(message, 1, Integer::sum);
            }
        }

        private static void pause() {
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

        private static String message(Exception ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String text = ex instanceof OAuthFlows.UnexpectedResponse ? ex.getMessage()
                    : ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
            // messages carry codes, tokens and state; keep them comparable by cutting what varies at the end
            return text.length() > 220 ? text.substring(0, 220) + "..." : text;
        }
    }
}
