package io.latchkey.oauth.jar;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import io.latchkey.oauth.ClientPublicKeys;

/**
 * Verifies a request object (RFC 9101 section 6.1) with Nimbus: signed (RS256, PS256 or ES256; never {@code none},
 * never a MAC with the client secret) by one of the keys the client registered ({@link ClientPublicKeys}), issued by
 * the client ({@code iss}), for this server ({@code aud} holds the issuer), with an {@code exp} no more than
 * {@link #MAX_LIFETIME} after its {@code nbf} or {@code iat} (or after now, when it has neither), and, if it names a
 * {@code client_id}, naming the client of the request.
 */
final class RequestObjectVerifier {

    static final List<String> ALGORITHMS = List.of("RS256", "PS256", "ES256");
    static final Duration MAX_LIFETIME = Duration.ofMinutes(60);
    /** Larger than any real authorization request, small enough that parsing it costs nothing. */
    static final int MAX_LENGTH = 16 * 1024;
    private static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256,
            JWSAlgorithm.ES256);
    private static final JOSEObjectType REQUEST_OBJECT_TYPE = new JOSEObjectType("oauth-authz-req+jwt");

    private final ClientPublicKeys keys;
    private final String issuer;
    private final Clock clock;

    RequestObjectVerifier(ClientPublicKeys keys, String issuer, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** The request object's claims, once verified; {@link RequestObjectRefused} otherwise. */
    Map<String, Object> verify(String requestObject, RegisteredClient client) {
        if (requestObject.length() > MAX_LENGTH) {
            throw refused("The request object is too large");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(requestObject);
        }
        catch (ParseException | RuntimeException ex) {
            throw refused("The request object is not a signed JWT");
        }
        if (!ACCEPTED.contains(jwt.getHeader().getAlgorithm())) {
            throw refused("The request object must be signed with one of " + String.join(", ", ALGORITHMS));
        }
        var source = clientKeys(client);
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(REQUEST_OBJECT_TYPE, JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ACCEPTED, source));
        // mutable sets: Nimbus asks them whether they hold null, which an immutable set answers with an exception
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new HashSet<>(List.of(issuer)),
                new JWTClaimsSet.Builder().issuer(client.getClientId()).build(), new HashSet<>(List.of("exp")),
                new HashSet<>()) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        }
        catch (BadJWTException ex) {
            throw refused("The request object's claims are not acceptable: " + ex.getMessage());
        }
        catch (BadJOSEException ex) {
            throw refused("The request object's signature could not be verified with the client's keys");
        }
        catch (JOSEException | RuntimeException ex) {
            throw refused("The request object could not be verified");
        }
        checkLifetime(claims);
        Object clientId = claims.getClaim("client_id");
        if (clientId != null && !client.getClientId().equals(clientId)) {
            throw refused("The request object's client_id is not the client's");
        }
        return claims.getClaims();
    }

    private com.nimbusds.jose.jwk.source.JWKSource<SecurityContext> clientKeys(RegisteredClient client) {
        try {
            return keys.of(client);
        }
        catch (ClientPublicKeys.NoClientKeysException ex) {
            throw refused("The client cannot send request objects: " + ex.getMessage());
        }
    }

    /** RFC 9101 section 10.8 leaves the lifetime to the server; a long-lived request object is a replayable one. */
    private void checkLifetime(JWTClaimsSet claims) {
        Date start = claims.getNotBeforeTime() != null ? claims.getNotBeforeTime() : claims.getIssueTime();
        Date from = start != null ? start : Date.from(clock.instant());
        if (claims.getExpirationTime().getTime() - from.getTime() > MAX_LIFETIME.toMillis()) {
            throw refused("The request object's exp is more than 60 minutes after its nbf or iat");
        }
    }

    private static RequestObjectRefused refused(String description) {
        return new RequestObjectRefused(RequestObjectRefused.INVALID_REQUEST_OBJECT, description);
    }
}
