package io.latchkey.oauth;

import java.util.Map;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.stereotype.Service;

import io.latchkey.client.SupportedGrantTypes;
import io.latchkey.oauth.challenge.AuthorizationChallenge;
import io.latchkey.oauth.password.PasswordGrant;

/**
 * Tokens for Latchkey's own first-party JSON API: the same password grant, refresh rotation and
 * revocation as the token endpoint, on behalf of the client named by {@code latchkey.api.client-id}
 * (a public client with the password grant enabled; start-up refuses a confidential one). One rule, one
 * place: nothing here decides differently from {@code /oauth2/token}.
 */
@Service
public class FirstPartyTokens {

    private final RegisteredClientRepository clients;
    private final AuthenticationProvider passwordGrant;
    private final OAuth2RefreshTokenAuthenticationProvider refreshGrant;
    private final OAuth2AuthorizationService authorizations;
    private final AuthorizationServerSettings settings;
    private final String clientId;

    FirstPartyTokens(RegisteredClientRepository clients, AuthenticationProvider passwordSignIn,
            OAuth2AuthorizationService authorizations, OAuth2TokenGenerator<OAuth2Token> tokenGenerator,
            ApplicationEventPublisher events, AuthorizationServerSettings settings,
            ApiClientSettings apiClient) {
        this.clients = clients;
        this.passwordGrant = PasswordGrant.provider(passwordSignIn, authorizations, tokenGenerator, events);
        this.refreshGrant = new OAuth2RefreshTokenAuthenticationProvider(authorizations, tokenGenerator);
        this.authorizations = authorizations;
        this.settings = settings;
        this.clientId = apiClient.clientId();
    }

    /**
     * Signs in with email and password from {@code clientIp}; every failure is {@code invalid_grant} with one generic
     * description, except an attempt over a rate limit, whose cause is a {@code RateLimitExceededException}, and a
     * right password of an account with a second factor, whose cause is a {@code SecondFactorRequiredException}.
     */
    public Issued signIn(String username, String password, Set<String> scopes, String clientIp) {
        OAuth2ClientAuthenticationToken client = client();
        return withIssuer(() -> issued((OAuth2AccessTokenAuthenticationToken) passwordGrant.authenticate(
                PasswordGrant.request(username, password, scopes, client, clientIp))));
    }

    /**
     * Where a first-party app goes on when {@link #signIn} is refused because the account has a second factor (the
     * refusal's cause is then an {@code io.latchkey.account.SecondFactorRequiredException}).
     */
    public String authorizationChallengeEndpoint() {
        return AuthorizationChallenge.url(settings.getIssuer());
    }

    /** Exchanges a refresh token for new tokens; the old refresh token stops working (and reusing it revokes all). */
    public Issued refresh(String refreshToken) {
        OAuth2ClientAuthenticationToken client = client();
        return withIssuer(() -> issued((OAuth2AccessTokenAuthenticationToken) refreshGrant.authenticate(
                new OAuth2RefreshTokenAuthenticationToken(refreshToken, client, Set.of(), Map.of()))));
    }

    /** Ends the login the refresh token belongs to: every token issued from it stops working. */
    public boolean signOut(String refreshToken) {
        OAuth2Authorization authorization = authorizations.findByToken(refreshToken, OAuth2TokenType.REFRESH_TOKEN);
        if (authorization == null || !authorization.getRegisteredClientId().equals(client().getRegisteredClient().getId())) {
            return false;
        }
        authorizations.remove(authorization);
        return true;
    }

    private OAuth2ClientAuthenticationToken client() {
        RegisteredClient client = clientId.isBlank() ? null : clients.findByClientId(clientId);
        // acting for a client without its secret is only right for a client that has none
        if (client == null || !client.getAuthorizationGrantTypes().contains(SupportedGrantTypes.PASSWORD)
                || !client.getClientAuthenticationMethods().equals(Set.of(ClientAuthenticationMethod.NONE))) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT);
        }
        return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
    }

    /** Token generation reads the issuer from the authorization server context, which only its endpoints set. */
    private Issued withIssuer(java.util.function.Supplier<Issued> work) {
        AuthorizationServerContext previous = AuthorizationServerContextHolder.getContext();
        AuthorizationServerContextHolder.setContext(new AuthorizationServerContext() {
            @Override
            public String getIssuer() {
                return settings.getIssuer();
            }

            @Override
            public AuthorizationServerSettings getAuthorizationServerSettings() {
                return settings;
            }
        });
        try {
            return work.get();
        }
        finally {
            if (previous == null) {
                AuthorizationServerContextHolder.resetContext();
            }
            else {
                AuthorizationServerContextHolder.setContext(previous);
            }
        }
    }

    private static Issued issued(OAuth2AccessTokenAuthenticationToken result) {
        OAuth2AccessToken access = result.getAccessToken();
        long expiresIn = access.getExpiresAt() == null || access.getIssuedAt() == null ? 0
                : java.time.Duration.between(access.getIssuedAt(), access.getExpiresAt()).toSeconds();
        return new Issued(access.getTokenValue(), access.getTokenType().getValue(), expiresIn,
                result.getRefreshToken() == null ? null : result.getRefreshToken().getTokenValue(),
                (String) result.getAdditionalParameters().get("id_token"));
    }

    /** What a successful sign-in or refresh hands back, shaped like a token endpoint response. */
    public record Issued(String accessToken, String tokenType, long expiresIn, String refreshToken, String idToken) {
    }
}
