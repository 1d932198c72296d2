package io.latchkey.client;

import java.util.List;

import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * The grant types Latchkey offers, written once: what a client may declare in
 * {@code latchkey.clients.<client-id>.grant-types} and what discovery advertises in
 * {@code grant_types_supported}. A new grant is added here, and its handler under {@code io.latchkey.oauth}.
 */
public final class SupportedGrantTypes {

    /** The resource owner password grant (RFC 6749 section 4.3), which the framework does not define. */
    public static final AuthorizationGrantType PASSWORD = new AuthorizationGrantType("password");

    /** The device authorization grant (RFC 8628). */
    public static final AuthorizationGrantType DEVICE_CODE = AuthorizationGrantType.DEVICE_CODE;

    /** Token exchange (RFC 8693), for a service acting on behalf of a user. */
    public static final AuthorizationGrantType TOKEN_EXCHANGE = AuthorizationGrantType.TOKEN_EXCHANGE;

    /** In the order discovery lists them. */
    public static final List<String> ALL = List.of(AuthorizationGrantType.AUTHORIZATION_CODE.getValue(),
            AuthorizationGrantType.REFRESH_TOKEN.getValue(), AuthorizationGrantType.CLIENT_CREDENTIALS.getValue(),
            PASSWORD.getValue(), DEVICE_CODE.getValue(), TOKEN_EXCHANGE.getValue());

    private SupportedGrantTypes() {
    }
}
