/**
 * Rate limits and brute-force protection: the token buckets per client IP, account, trusted device,
 * client and mail address ({@link io.latchkey.ratelimit.CredentialGuard}), the client IPs exempt from per-IP
 * limits, and the 429 answers. The client IP itself is resolved by {@code io.latchkey.http}.
 *
 * <p>Layer: security primitives (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "admission", "http", "jobs" })
package io.latchkey.ratelimit;

import org.springframework.modulith.ApplicationModule;
