package io.latchkey.oauth.resource;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;

/**
 * Latchkey's access tokens are typed {@value #TYPE} in their JOSE header (RFC 9068 section 2.1), and whatever
 * verifies one of them as an access token insists on that type (RFC 9068 section 4, RFC 8725 section 3.11): an ID
 * token, signed with the same key and carrying the same issuer, typed {@code JWT} or not at all, is then never taken
 * for an access token at userinfo, the API, introspection of stateless tokens or registration.
 */
public final class AccessTokenJwts {

    public static final String TYPE = "at+jwt";

    private AccessTokenJwts() {
    }

    /** Types the header of an access token being issued. */
    public static void typeHeader(JwsHeader.Builder header) {
        header.type(TYPE);
    }

    /** Accepts only tokens typed {@value #TYPE} (or its media type form, {@code application/at+jwt}). */
    public static OAuth2TokenValidator<Jwt> typeValidator() {
        JwtTypeValidator validator = new JwtTypeValidator(TYPE, "application/" + TYPE);
        validator.setAllowEmpty(false);
        return validator;
    }
}
