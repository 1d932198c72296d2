/**
 * Configuration as code: clients, roles with their permissions and, on request, users with their password hashes,
 * exported to a YAML or JSON document and imported from one: validated as a whole first, then applied in one
 * transaction (create what is missing, update what differs, delete nothing), with a dry run that only plans. The
 * admin API and the command line ({@link io.latchkey.config.ConfigCommand}) are its entrances.
 *
 * <p>Layer: entrances (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "account", "audit", "client" })
package io.latchkey.config;

import org.springframework.modulith.ApplicationModule;
