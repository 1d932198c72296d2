package io.latchkey.oauth.par;

import java.time.Clock;
import java.util.function.Consumer;

import jakarta.servlet.Filter;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2PushedAuthorizationRequestEndpointConfigurer;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

import io.latchkey.ratelimit.CredentialGuard;

/**
 * Pushed authorization requests (RFC 9126), as the authorization server's filter chain sees them: the PAR
 * endpoint ({@code /oauth2/par}, the framework's, with a {@code request_uri} of {@link ParSettings#requestUriLifetime}
 * and the checks of the authorization endpoint: {@link ShortLivedRequestUris}; JSON errors:
 * {@link PushedRequestErrors}), public clients identified there by {@code client_id} ({@link PublicClientsAtPar}),
 * a limit per client IP ({@link PushedRequestsPerIp}), and the per-client rule that requests must be pushed
 * ({@link PushedRequestRequired}). The chapter {@code docs/par-and-jar.md} describes them.
 */
@Component
public class PushedAuthorizationRequests {

    private final ParSettings settings;
    private final CredentialGuard guard;
    private final RegisteredClientRepository clients;
    private final Clock clock;

    PushedAuthorizationRequests(ParSettings settings, CredentialGuard guard, RegisteredClientRepository clients,
            Clock clock) {
        this.settings = settings;
        this.guard = guard;
        this.clients = clients;
        this.clock = clock;
    }

    /**
     * The PAR endpoint; {@code requestChecks} are the authorization endpoint's checks of the request alone
     * (redirect URI, scope), which need no signed-in user.
     */
    public Customizer<OAuth2PushedAuthorizationRequestEndpointConfigurer> endpoint(
            OAuth2AuthorizationService authorizations,
            Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> requestChecks) {
        return par -> par
                .authenticationProviders(providers -> providers.replaceAll(existing -> {
                    if (existing instanceof OAuth2PushedAuthorizationRequestAuthenticationProvider frameworks) {
                        frameworks.setAuthenticationValidator(requestChecks);
                        return new ShortLivedRequestUris(frameworks, authorizations, settings.requestUriLifetime(),
                                clock);
                    }
                    return existing;
                }))
                .errorResponseHandler(new PushedRequestErrors());
    }

    /** Identifies a public client at the PAR endpoint by its {@code client_id} (RFC 9126 section 2). */
    public AuthenticationConverter publicClients(AuthorizationServerSettings serverSettings) {
        return PublicClientsAtPar.converter(endpointOf(serverSettings));
    }

    /** Accepts the public clients {@link #publicClients} identified: those registered for {@code none}. */
    public AuthenticationProvider publicClientProvider() {
        return PublicClientsAtPar.provider(clients);
    }

    /** The authorization endpoint's rule for clients that must push their requests (RFC 9126 section 6). */
    public Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> requiredWhereTheClientSaysSo() {
        return new PushedRequestRequired();
    }

    /** Counts pushed requests per client IP; goes in front of client authentication. */
    public Filter perIpLimit(AuthorizationServerSettings serverSettings) {
        return new PushedRequestsPerIp(endpointOf(serverSettings), guard, settings);
    }

    /** The PAR endpoint as the framework matches it (POST, the configured path). */
    static RequestMatcher endpointOf(AuthorizationServerSettings serverSettings) {
        return PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST,
                serverSettings.getPushedAuthorizationRequestEndpoint());
    }
}
