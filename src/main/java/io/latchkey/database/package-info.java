/**
 * Database outages: a shared "database available" state that trips on connection failures and is closed
 * again by a background probe, the fast 503 every request gets while it is open, and the driver timeouts
 * that keep a vanished database from hanging a request.
 *
 * <p>Layer: infrastructure (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "admission" })
package io.latchkey.database;

import org.springframework.modulith.ApplicationModule;
