package io.latchkey.oauth;

/**
 * Where dynamic client registration (RFC 7591) and client configuration (RFC 7592) answer: discovery advertises it
 * as {@code registration_endpoint} ({@link AdvertisedCapabilities}). The endpoint itself is an entrance above this
 * module ({@code io.latchkey.clientregistration}), which reads the path from here, so the authorization server
 * never depends on it.
 */
public final class RegistrationEndpointAddress {

    /** The registration endpoint; a client's configuration endpoint is this path followed by {@code /<client_id>}. */
    public static final String PATH = "/connect/register";

    private RegistrationEndpointAddress() {
    }

    /** The registration endpoint's URL under this issuer. */
    public static String url(String issuer) {
        return (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + PATH;
    }
}
