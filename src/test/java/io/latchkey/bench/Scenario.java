package io.latchkey.bench;

/**
 * One kind of load: how to set up a worker (untimed: signing in for tokens, say), and what one operation
 * of that worker does. A worker belongs to one thread and keeps its own state (cookies, token chain).
 *
 * @param name as shown in the report
 * @param requestsPerOperation HTTP requests one operation makes (a login is two, a code flow five)
 * @param workers creates the worker with the given index on its own connection
 */
record Scenario(String name, int requestsPerOperation, WorkerFactory workers) {

    @FunctionalInterface
    interface WorkerFactory {
        Worker create(int index, OAuthFlows flows) throws Exception;
    }

    interface Worker {

        /** Untimed work before each operation, such as replacing a token chain that an error broke. */
        default void prepare() throws Exception {
        }

        /** One timed operation; any exception counts as an error. */
        void run() throws Exception;
    }
}
