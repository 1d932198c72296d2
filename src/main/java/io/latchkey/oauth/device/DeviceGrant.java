package io.latchkey.oauth.device;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2DeviceAuthorizationEndpointConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2DeviceVerificationEndpointConfigurer;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.stereotype.Component;

import io.latchkey.audit.AuditLog;
import io.latchkey.http.ClientAddresses;
import io.latchkey.keys.TokenHasher;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.runtime.Issuer;

/**
 * The device authorization grant (RFC 8628), as the rest of {@code io.latchkey.oauth} sees it: the framework's three
 * endpoints, each with Latchkey's rules.
 * <ul>
 * <li>Device authorization endpoint: {@link DeviceAuthorizationStarts} (start limit, scopes required),
 * {@link DeviceCodeGenerators} (the codes, {@link UserCodes}), {@link DeviceAuthorizationResponses}.</li>
 * <li>Verification: the hosted activation page ({@link ActivationController}, {@value #ACTIVATION_PAGE}) takes the
 * user code, then the framework's verification endpoint asks for consent on that page and records the answer;
 * {@link UserCodeGuesses} limits wrong codes, {@link DeviceVerificationAnswers} shows and audits the outcome.</li>
 * <li>Token endpoint: the framework's device code grant inside {@link PollingPace} ({@code slow_down}, reuse).</li>
 * </ul>
 * The codes are kept by the token store as keyed hashes, like every token. The chapter is {@code docs/device-flow.md}.
 */
@Component
public class DeviceGrant {

    /** Where a user types the code a device shows: {@code verification_uri}. */
    public static final String ACTIVATION_PAGE = ActivationController.PATH;

    private final DeviceSettings settings;
    private final CredentialGuard guard;
    private final ClientAddresses addresses;
    private final DevicePolls polls;
    private final TokenHasher hasher;
    private final AuditLog audit;
    private final Issuer issuer;
    private final Clock clock;

    DeviceGrant(DeviceSettings settings, CredentialGuard guard, ClientAddresses addresses, DevicePolls polls,
            TokenHasher hasher, AuditLog audit, Issuer issuer, Clock clock) {
        this.settings = settings;
        this.guard = guard;
        this.addresses = addresses;
        this.polls = polls;
        this.hasher = hasher;
        this.audit = audit;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** {@code /oauth2/device_authorization}: who may start, the codes, the answer. */
    public Customizer<OAuth2DeviceAuthorizationEndpointConfigurer> authorizationEndpoint(
            OAuth2AuthorizationService authorizations) {
        DeviceAuthorizationResponses responses = new DeviceAuthorizationResponses(issuer.url() + ACTIVATION_PAGE,
                settings);
        return endpoint -> endpoint
                .verificationUri(ACTIVATION_PAGE)
                .deviceAuthorizationResponseHandler(responses)
                .errorResponseHandler(responses)
                .authenticationProviders(providers -> providers.replaceAll(provider -> {
                    if (provider instanceof OAuth2DeviceAuthorizationRequestAuthenticationProvider starts) {
                        starts.setDeviceCodeGenerator(DeviceCodeGenerators.deviceCodes(settings, clock));
                        starts.setUserCodeGenerator(DeviceCodeGenerators.userCodes(settings, clock));
                        return new DeviceAuthorizationStarts(starts, guard, addresses, settings, authorizations);
                    }
                    return provider;
                }));
    }

    /**
     * The framework's verification endpoint, which the activation page sends the browser to: consent is always
     * asked, on the activation page; wrong codes are counted.
     */
    public Customizer<OAuth2DeviceVerificationEndpointConfigurer> verificationEndpoint() {
        DeviceVerificationAnswers answers = new DeviceVerificationAnswers(audit);
        return endpoint -> endpoint
                .consentPage(ActivationController.CONSENT)
                .deviceVerificationResponseHandler(answers)
                .errorResponseHandler(answers)
                .authenticationProviders(providers -> providers.replaceAll(provider -> {
                    if (provider instanceof OAuth2DeviceVerificationAuthenticationProvider verification) {
                        // the user always sees which application asks, and for what, even if they allowed it before
                        verification.setAuthorizationConsentRequired(context -> true);
                        return new UserCodeGuesses(verification, guard, addresses, settings);
                    }
                    return provider;
                }));
    }

    /** For the token endpoint's providers: the device code grant with its pace, single use and ID token. */
    public Consumer<List<AuthenticationProvider>> tokenEndpointProviders(OAuth2AuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
        return providers -> providers.replaceAll(provider -> provider instanceof OAuth2DeviceCodeAuthenticationProvider
                ? new PollingPace(provider, tokens, authorizations, polls, hasher, settings, clock) : provider);
    }
}
