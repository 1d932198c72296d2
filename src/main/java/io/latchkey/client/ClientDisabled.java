package io.latchkey.client;

/**
 * Published when a client is disabled (it was declared in configuration and no longer is): every token
 * issued to it must stop working.
 *
 * @param registeredClientId the client's internal id, as authorizations refer to it
 * @param clientId the client id it authenticates with
 */
public record ClientDisabled(String registeredClientId, String clientId) {
}
