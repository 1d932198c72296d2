package io.latchkey.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import io.latchkey.account.AuthenticationLevel;
import io.latchkey.account.Permissions;
import io.latchkey.account.SignInAssurance;
import io.latchkey.account.UserAccount;
import io.latchkey.account.UserDirectory;
import io.latchkey.oauth.authorize.AuthenticationTime;
import io.latchkey.oauth.authorize.ClaimsRequest;
import io.latchkey.oauth.exchange.TokenExchange;
import io.latchkey.oauth.resource.AccessTokenAudience;
import io.latchkey.oauth.resource.AccessTokenJwts;

/**
 * Adds the signed-in user's claims to tokens: to the ID token what its scopes and the {@code claims} request
 * parameter's {@code id_token} member ({@link ClaimsRequest}) release, and to access
 * tokens the user's roles (with the scope {@code roles}). Tokens from {@code client_credentials} have no user
 * and get none. Every access token is typed {@code at+jwt} ({@link AccessTokenJwts}) and gets the audience
 * {@link TokenAudience} decides, or the resources the request names ({@link AccessTokenAudience}); a token
 * exchange's token names its actor ({@link TokenExchange#addDelegation}). The ID token
 * also carries {@code at_hash} when it is issued beside an access token (OpenID Connect Core 3.1.3.6), and the
 * {@code sub} the client sees ({@link SubjectIdentifiers}: pairwise for a client that asked for it).
 */
class UserTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    /** The scope that puts the user's permissions into access tokens, as the claim {@value #PERMISSIONS}. */
    static final String PERMISSIONS_SCOPE = "permissions";
    static final String PERMISSIONS = "permissions";

    private final UserDirectory users;
    private final Permissions permissions;
    private final TokenAudience audience;
    private final SubjectIdentifiers subjects;
    private final AccessTokenAudience requestedAudience;
    private final TokenExchange exchange;

    UserTokenClaims(UserDirectory users, Permissions permissions, TokenAudience audience, SubjectIdentifiers subjects,
            AccessTokenAudience requestedAudience, TokenExchange exchange) {
        this.users = users;
        this.permissions = permissions;
        this.audience = audience;
        this.subjects = subjects;
        this.requestedAudience = requestedAudience;
        this.exchange = exchange;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
        if (accessToken) {
            // RFC 9068 section 2.2
            String clientId = context.getRegisteredClient().getClientId();
            AccessTokenJwts.typeHeader(context.getJwsHeader());
            context.getClaims().claim("client_id", clientId)
                    .audience(requestedAudience.of(context, audience.of(clientId, context.getAuthorizedScopes())));
            exchange.addDelegation(context);
        }
        if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            addUserClaims(context);
            if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue()) && context.getPrincipal() != null) {
                // OpenID Connect Core 8: the sub this client sees (pairwise or public); access tokens keep the
                // internal one, which Latchkey's API, introspection and the resource servers rely on
                context.getClaims().subject(subjects.forClient(context.getRegisteredClient(),
                        context.getPrincipal().getName()));
            }
        }
        context.getClaims().claims(claims -> RegisteredClaimTypes.applyTo(claims, accessToken));
    }

    private void addUserClaims(JwtEncodingContext context) {
        UserAccount user = userOf(context.getPrincipal().getName());
        if (user == null) {
            return;
        }
        if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
            Map<String, Object> released = UserClaims.releasedBy(context.getAuthorizedScopes(),
                    ClaimsRequest.of(context.getAuthorization()).idToken(), user);
            context.getClaims().claims(claims -> claims.putAll(released));
            // On refresh the framework copies auth_time from the ID token of the sign-in; keep that one.
            if (!context.getClaims().build().hasClaim(IdTokenClaimNames.AUTH_TIME)) {
                Instant authenticatedAt = AuthenticationTime.of(context.getPrincipal());
                if (authenticatedAt != null) {
                    context.getClaims().claim(IdTokenClaimNames.AUTH_TIME, authenticatedAt);
                }
            }
            addSignInAssurance(context);
            String accessToken = issuedAccessToken(context.getAuthorization());
            if (accessToken != null) {
                context.getClaims().claim("at_hash", leftHalfHash(accessToken));
            }
        }
        else if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            // RFC 9068 section 2.2.1: how the user signed in, so a resource server can ask for a stronger sign-in
            Instant authenticatedAt = AuthenticationTime.of(context.getPrincipal());
            if (authenticatedAt != null) {
                context.getClaims().claim(IdTokenClaimNames.AUTH_TIME, authenticatedAt);
            }
            addSignInAssurance(context);
            if (context.getAuthorizedScopes().contains(UserClaims.ROLES_SCOPE)) {
                context.getClaims().claim(UserClaims.ROLES, UserClaims.sortedRoles(user));
            }
            if (context.getAuthorizedScopes().contains(PERMISSIONS_SCOPE)) {
                // a plain ArrayList, for the same reason as the roles (see UserClaims.sortedRoles)
                context.getClaims().claim(PERMISSIONS, new ArrayList<>(permissions.of(user.id())));
            }
        }
    }

    /**
     * {@code amr} and {@code acr} from the factors of the sign-in the tokens are for. On refresh the principal is
     * the one stored with the authorization at sign-in, so they keep describing that sign-in, like {@code auth_time}.
     */
    private static void addSignInAssurance(JwtEncodingContext context) {
        List<String> methods = SignInAssurance.amr(context.getPrincipal());
        if (!methods.isEmpty()) {
            context.getClaims().claim(RegisteredClaimTypes.AMR, methods);
        }
        AuthenticationLevel level = SignInAssurance.level(context.getPrincipal());
        if (level != null) {
            context.getClaims().claim(RegisteredClaimTypes.ACR, level.acr());
        }
    }

    /**
     * The user, looked up once per request: one token request issues an access token and an ID token for
     * the same user, and each would otherwise read the user again.
     */
    private UserAccount userOf(String subject) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        String key = UserTokenClaims.class.getName() + ".user:" + subject;
        if (request != null && request.getAttribute(key, RequestAttributes.SCOPE_REQUEST) instanceof UserAccount known) {
            return known;
        }
        UserAccount user = users.findBySubject(subject).orElse(null);
        if (request != null && user != null) {
            request.setAttribute(key, user, RequestAttributes.SCOPE_REQUEST);
        }
        return user;
    }

    private static String issuedAccessToken(OAuth2Authorization authorization) {
        if (authorization == null) {
            return null;
        }
        OAuth2Authorization.Token<OAuth2AccessToken> token = authorization.getAccessToken();
        return token == null ? null : token.getToken().getTokenValue();
    }

    /**
     * base64url of the left half of the SHA-256 of the access token: the hash for RS256 and ES256, the
     * only algorithms Latchkey signs with.
     */
    static String leftHalfHash(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is always available", ex);
        }
    }
}
