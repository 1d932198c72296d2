package io.latchkey.audit;

import java.time.Instant;

/** Sign-ins that began in one hour (UTC), by outcome. */
public record SignInCount(Instant hour, long succeeded, long failed) {
}
