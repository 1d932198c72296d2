package io.latchkey.logout;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;

import io.latchkey.oauth.SubjectIdentifiers;
import io.latchkey.runtime.Issuer;

/**
 * Logout tokens (OpenID Connect Back-Channel Logout 1.0 section 2.4): a JWT typed {@code logout+jwt}, signed
 * with Latchkey's active key (the shared {@link JwtEncoder}, which sets the algorithm and {@code kid}), with
 * {@code iss}, {@code aud} (the client), {@code iat}, a short {@code exp}, a fresh {@code jti}, the
 * back-channel logout event, {@code sub} (as the client's ID tokens carry it) and {@code sid}; never a {@code nonce}. Each attempt gets a new token.
 */
@Component
class LogoutTokens {

    static final String TYPE = "logout+jwt";
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

    private final JwtEncoder encoder;
    private final BackChannelLogoutProperties properties;
    private final Clock clock;
    private final String issuer;
    private final RegisteredClientRepository clients;
    private final SubjectIdentifiers subjects;

    LogoutTokens(JwtEncoder encoder, BackChannelLogoutProperties properties, Clock clock,
            Issuer issuer, RegisteredClientRepository clients, SubjectIdentifiers subjects) {
        this.encoder = encoder;
        this.properties = properties;
        this.clock = clock;
        this.issuer = issuer.url();
        this.clients = clients;
        this.subjects = subjects;
    }

    String issue(LogoutDeliveries.Delivery delivery) {
        Instant now = clock.instant();
        // the sub of the client's ID tokens (pairwise for a client that asked for it), so it knows whom to sign out
        RegisteredClient client = clients.findByClientId(delivery.clientId());
        String subject = client == null ? delivery.subject() : subjects.forClient(client, delivery.subject());
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .audience(List.of(delivery.clientId()))
                .issuedAt(now)
                .expiresAt(now.plus(properties.tokenLifetime()))
                .id(UUID.randomUUID().toString())
                .subject(subject)
                .claim("sid", delivery.sid())
                .claim("events", Map.of(EVENT, Map.of()))
                .build();
        // the encoder replaces the algorithm with its active key's
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).type(TYPE).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }
}
