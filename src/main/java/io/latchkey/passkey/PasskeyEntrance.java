package io.latchkey.passkey;

import java.io.IOException;
import java.time.Clock;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.HttpMessageConverterAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.authentication.PublicKeyCredentialRequestOptionsFilter;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationFilter;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;
import org.springframework.stereotype.Component;

import io.latchkey.account.AccountService;
import io.latchkey.account.TrustedDevices;
import io.latchkey.account.UserAccount;
import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.Verdict;
import io.latchkey.session.SavedRequests;
import io.latchkey.session.SignInDetails;

/**
 * Passkeys on the hosted pages' filter chain ({@link #applyTo}): Spring Security's WebAuthn filters (webauthn4j
 * underneath) with Latchkey's relying party, credential store, sign-in rules and endings. A passkey sign-in ends like
 * the form sign-in: the session id changes, the security context is saved, the session notes the sign-in, the browser
 * gets a device cookie, and the answer ({@code {"redirectUrl": ..., "authenticated": true}}) names the saved request,
 * such as the authorization request that asked for the sign-in. With no relying party id (an IP-address issuer) the
 * chain gets nothing and the pages show no passkey controls.
 */
@Component
public class PasskeyEntrance {

    private static final Logger log = LoggerFactory.getLogger(PasskeyEntrance.class);

    private final RelyingParty relyingParty;
    private final PasskeyUserEntities userEntities;
    private final PasskeyCredentials credentials;
    private final PasskeyService passkeys;
    private final AccountService accounts;
    private final TrustedDevices devices;
    private final SignInDetails signIns;
    private final SavedRequests saved;
    private final AuditLog audit;
    private final Clock clock;
    private final CredentialGuard guard;

    PasskeyEntrance(RelyingParty relyingParty, PasskeyUserEntities userEntities, PasskeyCredentials credentials,
            PasskeyService passkeys, AccountService accounts, TrustedDevices devices, SignInDetails signIns,
            SavedRequests saved, AuditLog audit, Clock clock, CredentialGuard guard) {
        this.guard = guard;
        this.relyingParty = relyingParty;
        this.userEntities = userEntities;
        this.credentials = credentials;
        this.passkeys = passkeys;
        this.accounts = accounts;
        this.devices = devices;
        this.signIns = signIns;
        this.saved = saved;
        this.audit = audit;
        this.clock = clock;
    }

    /** Whether passkeys are on: the relying party has an id. */
    public boolean enabled() {
        return relyingParty.enabled();
    }

    /** Adds passkey registration and sign-in to the hosted pages' chain, when passkeys are on. */
    public void applyTo(HttpSecurity http) throws Exception {
        if (enabled()) {
            http.with(new Configurer(), Customizer.withDefaults());
        }
    }

    Webauthn4JRelyingPartyOperations operations() {
        Webauthn4JRelyingPartyOperations operations = new Webauthn4JRelyingPartyOperations(userEntities, credentials,
                PublicKeyCredentialRpEntity.builder().id(relyingParty.id()).name(relyingParty.name()).build(),
                relyingParty.origins());
        // a passkey is a whole sign-in, so the authenticator must verify the user (PIN, biometrics), and it must be
        // discoverable so that nobody types a username
        operations.setCustomizeCreationOptions(options -> options.authenticatorSelection(
                AuthenticatorSelectionCriteria.builder()
                        .residentKey(ResidentKeyRequirement.REQUIRED)
                        .userVerification(UserVerificationRequirement.REQUIRED)
                        .build()));
        operations.setCustomizeRequestOptions(options -> options.userVerification(UserVerificationRequirement.REQUIRED));
        return operations;
    }

    private AuthenticationSuccessHandler success() {
        HttpMessageConverterAuthenticationSuccessHandler answer = new HttpMessageConverterAuthenticationSuccessHandler();
        answer.setRequestCache(saved.ofPages());
        AuthenticationSuccessHandler audited = (request, response, authentication) -> {
            PasskeyService.userId(authentication.getName()).ifPresent(userId -> audit.recordBestEffort(
                    () -> AuditEvent.of(AuditEventType.PASSKEY_SIGNED_IN).user(userId)));
            answer.onAuthenticationSuccess(request, response, authentication);
        };
        return signIns.recording(devices.rememberingDevice((request, authentication) -> emailOf(authentication),
                audited));
    }

    private String emailOf(Authentication authentication) {
        return PasskeyService.userId(authentication.getName()).flatMap(accounts::find).map(UserAccount::email)
                .orElse(null);
    }

    /** Every refusal looks the same to the caller; the audit notes the kind, never what was sent. */
    private static final class Refused implements AuthenticationFailureHandler {

        private final AuditLog audit;

        Refused(AuditLog audit) {
            this.audit = audit;
        }

        @Override
        public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                AuthenticationException exception) throws IOException, ServletException {
            java.util.Optional<Verdict> limited = RateLimitExceededException.find(exception);
            if (limited.isPresent()) {
                audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.PASSKEY_SIGN_IN_FAILED)
                        .detail("reason", "rate_limited"));
                response.setHeader("Retry-After", Long.toString(limited.get().retryAfterSeconds()));
                PasskeyJson.error(response, HttpStatus.TOO_MANY_REQUESTS.value(), "too_many_attempts");
                return;
            }
            String reason = exception instanceof DisabledException ? "disabled"
                    : exception instanceof LockedException ? "locked" : "not_accepted";
            log.debug("Passkey sign-in refused: {}", exception.getMessage());
            audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.PASSKEY_SIGN_IN_FAILED).detail("reason", reason));
            PasskeyJson.error(response, HttpServletResponse.SC_UNAUTHORIZED, "passkey_not_accepted");
        }
    }

    private final class Configurer extends AbstractHttpConfigurer<Configurer, HttpSecurity> {

        @Override
        public void configure(HttpSecurity http) {
            Webauthn4JRelyingPartyOperations operations = operations();
            WebAuthnAuthenticationFilter signIn = new WebAuthnAuthenticationFilter();
            signIn.setAuthenticationManager(new ProviderManager(
                    new PasskeySignIn(operations, userEntities, credentials, accounts, clock, guard)));
            signIn.setAuthenticationDetailsSource(devices.signInDetails());
            signIn.setAuthenticationSuccessHandler(success());
            signIn.setAuthenticationFailureHandler(new Refused(audit));
            SessionAuthenticationStrategy sessions = http.getSharedObject(SessionAuthenticationStrategy.class);
            if (sessions != null) {
                signIn.setSessionAuthenticationStrategy(sessions);
            }
            SecurityContextRepository contexts = http.getSharedObject(SecurityContextRepository.class);
            if (contexts != null) {
                signIn.setSecurityContextRepository(contexts);
            }
            http.addFilterAfter(new PasskeyEndpoints(operations, userEntities, passkeys), CsrfFilter.class);
            http.addFilterBefore(postProcess(signIn), BasicAuthenticationFilter.class);
            http.addFilterBefore(new PublicKeyCredentialRequestOptionsFilter(operations), AuthorizationFilter.class);
        }
    }
}
