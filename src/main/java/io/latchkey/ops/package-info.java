/**
 * Operations: who may see health and metrics ({@link io.latchkey.ops.ManagementSecurity}), the request id on every
 * log line, error page and problem response ({@link io.latchkey.ops.RequestIds}), and the log format setting
 * ({@link io.latchkey.ops.OperationsSettings}). The metrics themselves are recorded by
 * the module whose work they count.
 *
 * <p>Layer: infrastructure (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = {})
package io.latchkey.ops;

import org.springframework.modulith.ApplicationModule;
