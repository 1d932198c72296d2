/**
 * The first-party JSON API under {@code /api/v1}: its resource-server filter chain, controllers, problem
 * details and OpenAPI description.
 *
 * <p>Layer: entrances (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "account", "admission", "audit", "client", "config", "database", "http",
        "keys", "oauth", "ops", "ratelimit", "runtime" })
package io.latchkey.api;

import org.springframework.modulith.ApplicationModule;
