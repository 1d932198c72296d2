/**
 * The audit trail of security events ({@link io.latchkey.audit.AuditLog}), written to the database, and
 * the recording of sign-ins.
 *
 * <p>Layer: security primitives (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "database", "jobs" })
package io.latchkey.audit;

import org.springframework.modulith.ApplicationModule;
