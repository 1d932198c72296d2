package io.latchkey.session;

import java.time.Instant;

/**
 * One of a user's sessions, as the account page lists it.
 *
 * @param handle names the session on the page without giving its id away (the id is a bearer credential)
 * @param browser the browser's name, or null when unknown
 * @param system the operating system's name, or null when unknown
 * @param ip the client IP at sign-in
 * @param signedInAt when the user signed in
 * @param lastSeenAt the session's last request
 * @param current whether it is the session of the request that asks
 */
public record ActiveSession(String handle, String browser, String system, String ip, Instant signedInAt,
        Instant lastSeenAt, boolean current) {
}
