package io.latchkey.oauth.challenge;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * The authorization code the endpoint hands out, stored exactly as the authorization endpoint stores one: an
 * authorization with the code, the signed-in principal (with the factors it proved, which {@code auth_time} and
 * {@code amr} are read from) and an authorization request without a {@code redirect_uri}, holding the PKCE
 * challenge. So the standard token endpoint redeems it ({@code grant_type=authorization_code}, {@code code},
 * {@code code_verifier}, no {@code redirect_uri}), with the framework's own checks: the same client, the verifier,
 * a single use, the code's lifetime.
 */
final class ChallengeCodes {

    private final OAuth2AuthorizationService authorizations;
    private final String authorizationUri;
    private final Clock clock;
    private final StringKeyGenerator codes = new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(), 96);

    ChallengeCodes(OAuth2AuthorizationService authorizations, String authorizationUri, Clock clock) {
        this.authorizations = authorizations;
        this.authorizationUri = authorizationUri;
        this.clock = clock;
    }

    String issue(RegisteredClient client, Authentication principal, Set<String> scopes, String codeChallenge) {
        Instant now = clock.instant();
        OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri(authorizationUri)
                .clientId(client.getClientId())
                .scopes(scopes)
                .additionalParameters(Map.of(PkceParameterNames.CODE_CHALLENGE, codeChallenge,
                        PkceParameterNames.CODE_CHALLENGE_METHOD, "S256"))
                .build();
        OAuth2AuthorizationCode code = new OAuth2AuthorizationCode(codes.generateKey(), now,
                now.plus(client.getTokenSettings().getAuthorizationCodeTimeToLive()));
        authorizations.save(OAuth2Authorization.withRegisteredClient(client)
                .principalName(principal.getName())
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizedScopes(scopes)
                .attribute(Principal.class.getName(), principal)
                .attribute(OAuth2AuthorizationRequest.class.getName(), request)
                .token(code)
                .build());
        return code.getTokenValue();
    }
}
