package io.latchkey.passkey;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.security.web.webauthn.api.AuthenticatorAssertionResponse;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationRequestToken;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;

import io.latchkey.account.AccountService;
import io.latchkey.account.SignInFactors;
import io.latchkey.account.UserAccount;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.Verdict;

/**
 * Signs a user in with a passkey. Spring Security's relying party operations (webauthn4j) check the assertion
 * against the challenge of this session, the relying party id and the allowed origins, and the credential's public
 * key, and note its use; then the account must still be enabled and not locked. The result has the shape of a
 * password sign-in's (its name is the user id, its principal a {@link User}) with the factor {@link SignInFactors#PASSKEY}
 * and, for a passkey that may be synced between devices, {@link SignInFactors#SYNCED_PASSKEY}.
 *
 * <p>Every assertion counts as a sign-in attempt against the client IP's limit ({@link CredentialGuard}), like a
 * password: over it, the assertion is not checked at all ({@link RateLimitExceededException}, answered 429). There is
 * no account to count a failure against (the credential sent says nothing until it is verified), so refusals count
 * against the IP only.
 */
final class PasskeySignIn implements AuthenticationProvider {

    private final WebAuthnRelyingPartyOperations relyingParty;
    private final PasskeyUserEntities userEntities;
    private final PasskeyCredentials credentials;
    private final AccountService accounts;
    private final Clock clock;
    private final CredentialGuard guard;

    PasskeySignIn(WebAuthnRelyingPartyOperations relyingParty, PasskeyUserEntities userEntities,
            PasskeyCredentials credentials, AccountService accounts, Clock clock, CredentialGuard guard) {
        this.guard = guard;
        this.relyingParty = relyingParty;
        this.userEntities = userEntities;
        this.credentials = credentials;
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return WebAuthnAuthenticationRequestToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        RelyingPartyAuthenticationRequest request = ((WebAuthnAuthenticationRequestToken) authentication)
                .getWebAuthnRequest();
        Verdict verdict = guard.checkAttempt(clientIpOf(authentication), null);
        if (!verdict.allowed()) {
            throw new RateLimitExceededException(verdict);
        }
        PublicKeyCredentialUserEntity userEntity = verified(request);
        UUID userId = userEntities.userOf(userEntity.getId())
                .orElseThrow(() -> new BadCredentialsException("The passkey belongs to no account"));
        UserAccount account = accounts.find(userId)
                .orElseThrow(() -> new BadCredentialsException("The passkey belongs to no account"));
        if (!account.enabled()) {
            throw new DisabledException("User is disabled");
        }
        if (account.locked()) {
            throw new LockedException("User account is locked");
        }
        CredentialRecord credential = credentials.findByCredentialId(request.getPublicKey().getRawId());
        Instant now = clock.instant();
        List<GrantedAuthority> authorities = new ArrayList<>();
        account.roles().forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
        authorities.add(FactorGrantedAuthority.withAuthority(SignInFactors.PASSKEY).issuedAt(now).build());
        if (credential != null && credential.isBackupEligible()) {
            authorities.add(FactorGrantedAuthority.withAuthority(SignInFactors.SYNCED_PASSKEY).issuedAt(now).build());
        }
        User principal = new User(userId.toString(), "", authorities);
        UsernamePasswordAuthenticationToken signedIn = UsernamePasswordAuthenticationToken.authenticated(principal,
                null, authorities);
        signedIn.setDetails(authentication.getDetails());
        return signedIn;
    }

    /**
     * The client IP (resolved through trusted proxies like every request's). Spring's WebAuthn filter gives the
     * request token no details, so it is the current request's address.
     */
    private static String clientIpOf(Authentication authentication) {
        if (authentication.getDetails() instanceof WebAuthenticationDetails details) {
            return details.getRemoteAddress();
        }
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return attributes.getRequest().getRemoteAddr();
        }
        throw new IllegalStateException("A passkey sign-in outside of a request");
    }

    /** The user entity of the credential, when the assertion is right; the user handle sent, if any, must be its. */
    private PublicKeyCredentialUserEntity verified(RelyingPartyAuthenticationRequest request) {
        PublicKeyCredentialUserEntity userEntity;
        try {
            userEntity = relyingParty.authenticate(request);
        }
        catch (DataAccessException databaseTrouble) {
            throw databaseTrouble;
        }
        catch (RuntimeException refused) {
            // webauthn4j's reasons (bad signature, wrong origin or challenge, unknown credential) stay in the log
            throw new BadCredentialsException("The passkey was not accepted", refused);
        }
        AuthenticatorAssertionResponse response = request.getPublicKey().getResponse();
        Bytes sentHandle = response == null ? null : response.getUserHandle();
        if (sentHandle != null && !sentHandle.equals(userEntity.getId())) {
            throw new BadCredentialsException("The passkey was not accepted");
        }
        return userEntity;
    }
}
