/**
 * The shared HTTP layer that every entrance stands on: the client IP as trusted proxies forward it
 * ({@link io.latchkey.http.ClientAddresses}), security headers, each endpoint's error format
 * ({@link io.latchkey.http.EndpointErrors}) and the error pages, CORS, request size, JSON and container limits,
 * the canonical-path firewall and unreadable requests. It knows no accounts, clients or keys.
 *
 * <p>Layer: infrastructure (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "admission", "database", "ops" })
package io.latchkey.http;

import org.springframework.modulith.ApplicationModule;
