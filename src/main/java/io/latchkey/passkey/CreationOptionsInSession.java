package io.latchkey.passkey;

import java.io.Serializable;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.web.webauthn.api.AttestationConveyancePreference;
import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialParameters;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.registration.PublicKeyCredentialCreationOptionsRepository;

/**
 * The registration ceremony in progress, in the session. Sessions live in the database as serialized Java objects and
 * Spring Security's creation options are not serializable, so the session holds what the check of the answer needs
 * (challenge, user handle, relying party id) and the options are rebuilt from it with the settings every ceremony
 * here uses ({@link PasskeyEntrance#operations()}).
 */
final class CreationOptionsInSession implements PublicKeyCredentialCreationOptionsRepository {

    static final String ATTRIBUTE = CreationOptionsInSession.class.getName() + ".CEREMONY";

    @Override
    public void save(HttpServletRequest request, HttpServletResponse response,
            PublicKeyCredentialCreationOptions options) {
        if (options == null) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.removeAttribute(ATTRIBUTE);
            }
            return;
        }
        request.getSession().setAttribute(ATTRIBUTE, new Ceremony(options.getChallenge().getBytes(),
                options.getUser().getId().getBytes(), options.getUser().getName(), options.getUser().getDisplayName(),
                options.getRp().getId(), options.getRp().getName(),
                options.getTimeout() == null ? Duration.ofMinutes(5).toMillis() : options.getTimeout().toMillis()));
    }

    @Override
    public PublicKeyCredentialCreationOptions load(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof Ceremony ceremony)) {
            return null;
        }
        return PublicKeyCredentialCreationOptions.builder()
                .rp(PublicKeyCredentialRpEntity.builder().id(ceremony.rpId()).name(ceremony.rpName()).build())
                .user(ImmutablePublicKeyCredentialUserEntity.builder().id(new Bytes(ceremony.userHandle()))
                        .name(ceremony.userName()).displayName(ceremony.userDisplayName()).build())
                .challenge(new Bytes(ceremony.challenge()))
                .pubKeyCredParams(PublicKeyCredentialParameters.EdDSA, PublicKeyCredentialParameters.ES256,
                        PublicKeyCredentialParameters.RS256)
                .authenticatorSelection(AuthenticatorSelectionCriteria.builder()
                        .residentKey(ResidentKeyRequirement.REQUIRED)
                        .userVerification(UserVerificationRequirement.REQUIRED)
                        .build())
                .attestation(AttestationConveyancePreference.NONE)
                .timeout(Duration.ofMillis(ceremony.timeoutMillis()))
                .build();
    }

    record Ceremony(byte[] challenge, byte[] userHandle, String userName, String userDisplayName, String rpId,
            String rpName, long timeoutMillis) implements Serializable {
    }
}
