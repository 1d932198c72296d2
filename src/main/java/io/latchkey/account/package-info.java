/**
 * User accounts: users and roles, the bootstrap admin, registration, email verification, password
 * reset, sign-in by password with its locks and trusted devices, and the account page.
 *
 * <p>Layer: account (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "audit", "crypto", "keys", "mail", "ratelimit", "runtime", "session" })
package io.latchkey.account;

import org.springframework.modulith.ApplicationModule;
