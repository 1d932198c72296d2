package io.latchkey.clientregistration;

import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Software statements (RFC 7591 section 2.3): a JWT of client metadata signed by a party the operator trusts. It is
 * accepted only when it verifies with a key of {@code latchkey.client-registration.software-statement-jwks}
 * (signature, and {@code exp}/{@code nbf} when present); its claims then take precedence over the same fields of the
 * request. Without that setting no statement is trusted: a registration that brings one is refused with
 * {@code unapproved_software_statement}, rather than registered as if the statement vouched for anything.
 */
@Component
class SoftwareStatements {

    /** The metadata fields a statement may set; its other claims (iss, iat, software_id, ...) are not registered. */
    private static final Set<String> METADATA_CLAIMS = Set.of("redirect_uris", "post_logout_redirect_uris",
            "grant_types", "response_types", "token_endpoint_auth_method", "client_name", "logo_uri", "scope",
            "backchannel_logout_uri");

    private final JwtDecoder trusted;
    private final RegistrationRequests requests;

    SoftwareStatements(ClientRegistrationProperties properties, RegistrationRequests requests) {
        this.requests = requests;
        this.trusted = properties.softwareStatementJwks() == null ? null : decoder(properties.softwareStatementJwks());
    }

    /** The metadata with a verified statement's claims applied; unchanged when there is no statement. */
    ClientMetadata apply(ClientMetadata metadata) {
        String statement = metadata.softwareStatement();
        if (statement == null) {
            return metadata;
        }
        if (trusted == null) {
            throw RegistrationError.badRequest(RegistrationError.UNAPPROVED_SOFTWARE_STATEMENT,
                    "This server trusts no issuer of software statements");
        }
        Jwt verified;
        try {
            verified = trusted.decode(statement);
        }
        catch (JwtException | IllegalArgumentException untrusted) {
            throw RegistrationError.badRequest(RegistrationError.INVALID_SOFTWARE_STATEMENT,
                    "The software statement is not a JWT signed by a trusted key, or has expired");
        }
        Map<String, Object> claims = new HashMap<>(verified.getClaims());
        claims.keySet().retainAll(METADATA_CLAIMS);
        return metadata.overriddenBy(requests.fromClaims(claims));
    }

    private static JwtDecoder decoder(String jwks) {
        JWKSet keys;
        try {
            keys = JWKSet.parse(jwks).toPublicJWKSet();
        }
        catch (ParseException ex) {
            throw new IllegalArgumentException(
                    "latchkey.client-registration.software-statement-jwks is not a JWK set: " + ex.getMessage());
        }
        if (keys.getKeys().isEmpty()) {
            throw new IllegalArgumentException(
                    "latchkey.client-registration.software-statement-jwks holds no public key");
        }
        return NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<SecurityContext>(keys))
                .jwsAlgorithms(algorithms -> algorithms.addAll(Set.of(SignatureAlgorithm.RS256,
                        SignatureAlgorithm.PS256, SignatureAlgorithm.ES256)))
                .build();
    }
}
