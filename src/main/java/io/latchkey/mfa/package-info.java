/**
 * The second factor: TOTP authenticator apps (java-otp, enrolment QR code by ZXing), single-use recovery codes, the
 * code page after the password, and the rule that makes roles enrol ({@code latchkey.mfa.required-for-roles}).
 *
 * <p>Layer: credentials (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "account", "audit", "crypto", "keys", "mail", "ratelimit", "runtime",
        "session", "theme", "http" })
package io.latchkey.mfa;

import org.springframework.modulith.ApplicationModule;
