/**
 * Periodic jobs coordinated across the instances on one database: one runs, the others skip
 * ({@link io.latchkey.jobs.ClusterJobs}).
 *
 * <p>Layer: infrastructure (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "database" })
package io.latchkey.jobs;

import org.springframework.modulith.ApplicationModule;
