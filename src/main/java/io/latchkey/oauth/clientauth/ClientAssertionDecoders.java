package io.latchkey.oauth.clientauth;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import io.latchkey.oauth.ClientPublicKeys;

/**
 * Verifies a client's assertions with the keys it registered ({@link ClientPublicKeys}: inline {@code jwks} or its
 * {@code jwks_uri}), with an asymmetric algorithm only ({@link #ALGORITHMS}: never {@code none}, never an HMAC, so
 * {@code client_secret_jwt} is refused), then checks its claims ({@link ClientAssertionClaims}) and spends its
 * {@code jti} ({@link SingleUseAssertions}). Every failure is a {@link org.springframework.security.oauth2.jwt.JwtException},
 * which the framework answers as {@code invalid_client}.
 */
final class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    /** What Latchkey verifies client assertions with (RFC 7518 section 3.1), in the order discovery lists them. */
    static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);

    /** Far above any real assertion (a few hundred bytes), far below what parsing could be made to cost. */
    static final int MAX_ASSERTION_LENGTH = 8 * 1024;

    /** Three base64url parts (RFC 7515 section 7.1), nothing else. */
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    /** {@code typ} values accepted: none, {@code JWT}, or the one draft-ietf-oauth-rfc7523bis names. */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES = new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, null, new JOSEObjectType("client-authentication+jwt"));

    private static final MappedJwtClaimSetConverter CLAIMS = MappedJwtClaimSetConverter.withDefaults(Map.of());

    private final ClientPublicKeys keys;
    private final UsedClientAssertions used;
    private final List<String> audiences;
    private final Clock clock;
    private final ClientAssertionProperties properties;

    ClientAssertionDecoders(ClientPublicKeys keys, UsedClientAssertions used, List<String> audiences, Clock clock,
            ClientAssertionProperties properties) {
        this.keys = keys;
        this.used = used;
        this.audiences = audiences;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * The framework's claim conversion, except that it makes up {@code iat} (one second before {@code exp}) when the
     * assertion has none, as client libraries' assertions often do; an {@code iat} in the future is refused.
     */
    private static Map<String, Object> withoutMadeUpIssuedAt(Map<String, Object> claims) {
        Map<String, Object> converted = CLAIMS.convert(claims);
        if (claims.containsKey(JwtClaimNames.IAT)) {
            return converted;
        }
        Map<String, Object> withoutIssuedAt = new HashMap<>(converted);
        withoutIssuedAt.remove(JwtClaimNames.IAT);
        return withoutIssuedAt;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        return assertion -> {
            if (assertion == null || assertion.length() > MAX_ASSERTION_LENGTH) {
                throw new BadJwtException("the client assertion is missing or too long");
            }
            if (!COMPACT_JWS.matcher(assertion).matches()) {
                // Nimbus's base64url skips stray characters: a signed assertion with a NUL or a space added would
                // otherwise verify as the original
                throw new BadJwtException("the client assertion is not a compact JWS");
            }
            JWKSource<SecurityContext> clientKeys;
            try {
                clientKeys = keys.of(client);
            }
            catch (ClientPublicKeys.NoClientKeysException ex) {
                throw new BadJwtException(ex.getMessage());
            }
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(new LinkedHashSet<>(ALGORITHMS), clientKeys));
            processor.setJWSTypeVerifier(TYPES);
            // the claims are ClientAssertionClaims' to check, with Latchkey's clock and skew
            processor.setJWTClaimsSetVerifier((claims, context) -> { });
            NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
            decoder.setClaimSetConverter(ClientAssertionDecoders::withoutMadeUpIssuedAt);
            String clientId = client.getClientId();
            decoder.setJwtValidator(new SingleUseAssertions(
                    new ClientAssertionClaims(clientId, audiences, clock, properties), used, clientId, clock, properties));
            return decoder.decode(assertion);
        };
    }
}
