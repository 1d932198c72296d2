package io.latchkey.oauth.password;

import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import io.latchkey.account.PasswordChangeRequiredException;
import io.latchkey.account.SecondFactorRequiredException;
import io.latchkey.admission.AdmissionRefusedException;
import io.latchkey.crypto.PasswordHashingBusyException;
import io.latchkey.database.DatabaseFailures;
import io.latchkey.database.DatabaseUnavailableException;
import io.latchkey.oauth.challenge.AuthorizationChallenge;
import io.latchkey.oauth.dpop.VerifiedProof;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitResponses;

/**
 * The resource owner password grant (RFC 6749 section 4.3), for first-party clients that have it enabled
 * explicitly. Issues the same tokens as the code flow. Every reason a sign-in can fail (unknown email,
 * wrong password, disabled, locked or unverified account) is the same {@code invalid_grant} answer; an attempt over
 * a brute-force limit is {@code temporarily_unavailable}, answered 429. A right password of an account with a second
 * factor gets no tokens either: {@code invalid_grant} with a description that names the authorization challenge
 * endpoint, where the second factor can be given.
 */
class PasswordGrantAuthenticationProvider implements AuthenticationProvider {

    static final String INVALID_CREDENTIALS = "The username or password is not valid";
    static final String SECOND_FACTOR_REQUIRED = "A second factor is required for this account, which the password "
            + "grant cannot take: sign in with the authorization challenge endpoint (password, then the code) at ";
    static final String ENROL_SECOND_FACTOR_FIRST = "A second factor must be set up for this account before it signs "
            + "in here: sign in in a browser (the authorization endpoint) to set it up";

    private final AuthenticationProvider users;
    private final OAuth2AuthorizationService authorizations;
    private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;
    private final ApplicationEventPublisher events;

    PasswordGrantAuthenticationProvider(AuthenticationProvider users, OAuth2AuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokens, ApplicationEventPublisher events) {
        this.users = users;
        this.authorizations = authorizations;
        this.tokens = tokens;
        this.events = events;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PasswordGrantAuthenticationToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        PasswordGrantAuthenticationToken request = (PasswordGrantAuthenticationToken) authentication;
        OAuth2ClientAuthenticationToken clientPrincipal = authenticatedClient(request);
        RegisteredClient client = clientPrincipal.getRegisteredClient();
        if (!client.getAuthorizationGrantTypes().contains(PasswordGrantAuthenticationToken.PASSWORD)) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT);
        }
        if (!client.getScopes().containsAll(request.scopes())) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_SCOPE);
        }
        Authentication user = signIn(request);
        Set<String> scopes = new LinkedHashSet<>(request.scopes());

        OAuth2Authorization.Builder authorization = OAuth2Authorization.withRegisteredClient(client)
                .principalName(user.getName())
                .authorizationGrantType(PasswordGrantAuthenticationToken.PASSWORD)
                .authorizedScopes(scopes)
                .attribute(Principal.class.getName(), user);
        DefaultOAuth2TokenContext.Builder context = DefaultOAuth2TokenContext.builder()
                .registeredClient(client)
                .principal(user)
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorizedScopes(scopes)
                .authorizationGrantType(PasswordGrantAuthenticationToken.PASSWORD)
                .authorizationGrant(request);
        if (request.getAdditionalParameters().get(VerifiedProof.ATTRIBUTE) instanceof VerifiedProof proof) {
            context.put(OAuth2TokenContext.DPOP_PROOF_KEY, proof.jwt());
        }

        OAuth2Token generatedAccess = generate(context.tokenType(OAuth2TokenType.ACCESS_TOKEN).build());
        boolean bound = generatedAccess instanceof ClaimAccessor claims && claims.getClaims().containsKey("cnf");
        OAuth2AccessToken accessToken = new OAuth2AccessToken(bound ? OAuth2AccessToken.TokenType.DPOP
                : OAuth2AccessToken.TokenType.BEARER,
                generatedAccess.getTokenValue(), generatedAccess.getIssuedAt(), generatedAccess.getExpiresAt(), scopes);
        authorization.token(accessToken, metadata -> {
            if (generatedAccess instanceof ClaimAccessor claims) {
                metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims.getClaims());
            }
        });

        OAuth2RefreshToken refreshToken = null;
        OAuth2Token generatedRefresh = tokens.generate(context.tokenType(OAuth2TokenType.REFRESH_TOKEN).build());
        if (generatedRefresh instanceof OAuth2RefreshToken refresh) {
            refreshToken = refresh;
            authorization.refreshToken(refresh);
        }

        Map<String, Object> additional = Map.of();
        if (scopes.contains(OidcScopes.OPENID)) {
            OAuth2Token generatedId = generate(context.authorization(authorization.build())
                    .tokenType(new OAuth2TokenType(OidcParameterNames.ID_TOKEN)).build());
            ClaimAccessor idClaims = (ClaimAccessor) generatedId;
            OidcIdToken idToken = new OidcIdToken(generatedId.getTokenValue(), generatedId.getIssuedAt(),
                    generatedId.getExpiresAt(), idClaims.getClaims());
            authorization.token(idToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                    idToken.getClaims()));
            additional = Map.of(OidcParameterNames.ID_TOKEN, idToken.getTokenValue());
        }
        authorizations.save(authorization.build());
        return new OAuth2AccessTokenAuthenticationToken(client, clientPrincipal, accessToken, refreshToken, additional);
    }

    private Authentication signIn(PasswordGrantAuthenticationToken request) {
        UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken.unauthenticated(
                request.username(), request.password());
        attempt.setDetails(request.getDetails()); // the client IP, which the brute-force limits count by
        try {
            Authentication user = users.authenticate(attempt);
            events.publishEvent(new AuthenticationSuccessEvent(user));
            return user;
        }
        catch (PasswordHashingBusyException busy) {
            // answered 503 with Retry-After in the endpoint's format (see io.latchkey.admission)
            throw new AdmissionRefusedException(java.time.Duration.ofSeconds(1));
        }
        catch (RateLimitExceededException limited) {
            // not a failed sign-in: the password was not checked (429, see io.latchkey.oauth.RateLimitedOAuthErrors)
            throw new OAuth2AuthenticationException(new OAuth2Error(RateLimitResponses.OAUTH_ERROR,
                    "Too many attempts. Try again in " + limited.verdict().retryAfterSeconds() + " seconds.", null),
                    limited);
        }
        catch (SecondFactorRequiredException secondStep) {
            // the password was right, but it is not enough: no tokens, and the client is told where to go on
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    secondFactorDescription(secondStep), null), secondStep);
        }
        catch (PasswordChangeRequiredException changeFirst) {
            // the password was right: not a failed sign-in, and the user is told what to do
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    PasswordChangeRequiredException.DESCRIPTION, null), changeFirst);
        }
        catch (AuthenticationException failed) {
            if (DatabaseFailures.isConnectionFailure(failed)) {
                // the password was not checked: 503 in the token endpoint's format (see io.latchkey.database)
                throw new DatabaseUnavailableException(failed);
            }
            // the event names the real reason (bad credentials, locked, ...), for auditing and brute-force counting
            new DefaultAuthenticationEventPublisher(events).publishAuthenticationFailure(failed, attempt);
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, INVALID_CREDENTIALS,
                    null));
        }
    }

    /** What a client is told when the password was right but the account needs a second factor. */
    static String secondFactorDescription(SecondFactorRequiredException secondStep) {
        if (!secondStep.enrolled()) {
            return ENROL_SECOND_FACTOR_FIRST;
        }
        AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
        String endpoint = context == null || context.getIssuer() == null ? AuthorizationChallenge.PATH
                : AuthorizationChallenge.url(context.getIssuer());
        return SECOND_FACTOR_REQUIRED + endpoint;
    }

    private OAuth2Token generate(OAuth2TokenContext context) {
        OAuth2Token token = tokens.generate(context);
        if (token == null) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR,
                    "The token generator failed to generate a token", null));
        }
        return token;
    }

    private static OAuth2ClientAuthenticationToken authenticatedClient(Authentication request) {
        if (request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client && client.isAuthenticated()) {
            return client;
        }
        throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
    }
}
