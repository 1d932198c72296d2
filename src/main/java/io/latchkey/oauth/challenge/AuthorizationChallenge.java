package io.latchkey.oauth.challenge;

import java.time.Clock;

import jakarta.servlet.Filter;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;

import io.latchkey.account.SecondFactor;
import io.latchkey.account.UserDirectory;
import io.latchkey.audit.AuditLog;
import io.latchkey.runtime.Issuer;

/**
 * The authorization challenge endpoint of "OAuth 2.0 for First-Party Applications"
 * (draft-ietf-oauth-first-party-apps), as the rest of {@code io.latchkey.oauth} sees it: its path, advertised as
 * {@code authorization_challenge_endpoint}, and the filter that serves it ({@link AuthorizationChallengeEndpoint}),
 * which the authorization server's filter chain adds with the provider that checks client secrets at the token
 * endpoint. A first-party app signs a user in without a browser: password, then (when the account has one) the
 * second factor, then an authorization code for the token endpoint. The chapter {@code docs/first-party-apps.md}
 * describes the flow.
 */
@Component
public class AuthorizationChallenge {

    public static final String PATH = "/oauth2/authorize-challenge";

    private final RegisteredClientRepository clients;
    private final ChallengeSteps steps;

    AuthorizationChallenge(RegisteredClientRepository clients, AuthenticationProvider passwordSignIn,
            SecondFactor secondFactor, UserDirectory users, AuthSessions sessions,
            OAuth2AuthorizationService authorizations, AuditLog audit, ApplicationEventPublisher events,
            ChallengeSettings settings, Issuer issuer, Clock clock) {
        this.clients = clients;
        this.steps = new ChallengeSteps(passwordSignIn, secondFactor, users, sessions,
                new ChallengeCodes(authorizations, issuer.url() + PATH, clock), new ChallengeAudit(audit), events,
                settings, clock);
    }

    /** The endpoint's filter; {@code clientSecrets} checks confidential clients' secrets as the token endpoint does. */
    public Filter endpoint(AuthenticationProvider clientSecrets) {
        return new AuthorizationChallengeEndpoint(new ChallengeClients(clients, clientSecrets), steps);
    }

    /** The endpoint's URL under {@code issuer}, as advertised and named in errors that point to it. */
    public static String url(String issuer) {
        return (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + PATH;
    }
}
