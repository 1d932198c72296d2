/**
 * The configured theme ({@link io.latchkey.theme.Theme}): its folder first, then the packaged default
 * theme, for the hosted pages' templates and static files and for the account mail; and the page language.
 *
 * <p>Layer: security primitives (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "runtime" })
package io.latchkey.theme;

import org.springframework.modulith.ApplicationModule;
