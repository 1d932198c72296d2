/**
 * Registered clients: declared in configuration and checked against their rules at start-up, stored and
 * cached, their secrets verified, and Latchkey's own per-client settings
 * ({@link io.latchkey.client.ClientPolicies}).
 *
 * <p>Layer: stores and state (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "audit", "crypto", "jobs", "keys", "runtime" })
package io.latchkey.client;

import org.springframework.modulith.ApplicationModule;
