/**
 * Account mail (verification, password reset, email change notice, account locked), rendered from the theme
 * as HTML and text, sent over SMTP or, without a mail server, logged.
 *
 * <p>Layer: security primitives (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "runtime", "theme" })
package io.latchkey.mail;

import org.springframework.modulith.ApplicationModule;
