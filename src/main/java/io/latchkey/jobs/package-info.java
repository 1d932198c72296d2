/**
 * Periodic jobs coordinated across the instances on one database: one runs, the others skip
 * ({@link io.latchkey.jobs.ClusterJobs}).
 */
package io.latchkey.jobs;
