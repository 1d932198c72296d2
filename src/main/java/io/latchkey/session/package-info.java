/**
 * Browser sessions, kept in the database so that every instance behind a load balancer sees the same ones:
 * the shared store and its lifetimes, the state a browser carries without a session (saved request, CSRF
 * token before sign-in), the user's list of their sessions, and ending sessions everywhere
 * ({@link io.latchkey.session.SessionEnded}). Measurements and decisions: docs/sessions.md.
 *
 * <p>Layer: stores and state (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "http", "jobs", "runtime" })
package io.latchkey.session;

import org.springframework.modulith.ApplicationModule;
