package io.latchkey.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;

import io.latchkey.account.AuthenticationLevel;
import io.latchkey.account.SignInAssurance;
import io.latchkey.account.SignInFactors;

/**
 * A sign-in's factors survive both stores they live in, so {@code amr}, {@code acr} and {@code auth_time} describe
 * the sign-in after a refresh and on another instance: the token store ({@link AuthorizationCodec}, which keeps the
 * principal of an authorization) and Spring Session's JDBC store (Java serialization of the security context).
 * Passkey sign-ins (device-bound and synced) are built from their authorities here, as the passkey module makes them.
 */
class FactorsInStorageTest {

    private static final Instant PASSWORD_AT = Instant.parse("2026-11-29T10:00:00.123Z");
    private static final Instant CODE_AT = Instant.parse("2026-11-29T10:00:30.456Z");

    @Test
    void theTokenStoreKeepsEveryFactorWithItsTime() {
        for (Authentication signIn : signIns()) {
            AuthorizationCodec codec = new AuthorizationCodec();
            Authentication read = (Authentication) codec.readAttributes(
                    codec.writeAttributes(Map.of(Principal.class.getName(), signIn))).get(Principal.class.getName());
            assertSameSignIn(signIn, read);
        }
    }

    @Test
    void theSessionStoreKeepsEveryFactorWithItsTime() {
        SerializingConverter serializer = new SerializingConverter();
        DeserializingConverter deserializer = new DeserializingConverter(getClass().getClassLoader());
        for (Authentication signIn : signIns()) {
            Object read = deserializer.convert(serializer.convert(new SecurityContextImpl(signIn)));
            assertSameSignIn(signIn, ((SecurityContextImpl) read).getAuthentication());
        }
    }

    private static void assertSameSignIn(Authentication written, Authentication read) {
        assertThat(read.getName()).isEqualTo(written.getName());
        assertThat(SignInFactors.of(read)).isEqualTo(SignInFactors.of(written));
        assertThat(SignInAssurance.amr(read)).isEqualTo(SignInAssurance.amr(written)).isNotEmpty();
        assertThat(SignInAssurance.level(read)).isEqualTo(SignInAssurance.level(written)).isNotNull();
        for (GrantedAuthority authority : written.getAuthorities()) {
            if (authority instanceof FactorGrantedAuthority factor) {
                assertThat(read.getAuthorities()).filteredOn(FactorGrantedAuthority.class::isInstance)
                        .map(FactorGrantedAuthority.class::cast)
                        .filteredOn(stored -> stored.getAuthority().equals(factor.getAuthority()))
                        .singleElement()
                        .satisfies(stored -> assertThat(stored.getIssuedAt().truncatedTo(ChronoUnit.MILLIS))
                                .isEqualTo(factor.getIssuedAt().truncatedTo(ChronoUnit.MILLIS)));
            }
        }
    }

    private static List<Authentication> signIns() {
        Authentication password = signIn(factor(SignInFactors.PASSWORD, PASSWORD_AT));
        Authentication withCode = signIn(factor(SignInFactors.PASSWORD, PASSWORD_AT), factor(SignInFactors.TOTP, CODE_AT));
        Authentication withRecoveryCode = signIn(factor(SignInFactors.PASSWORD, PASSWORD_AT),
                factor(SignInFactors.RECOVERY_CODE, CODE_AT));
        Authentication deviceBoundPasskey = signIn(factor(SignInFactors.PASSKEY, CODE_AT));
        Authentication syncedPasskey = signIn(factor(SignInFactors.PASSKEY, CODE_AT),
                factor(SignInFactors.SYNCED_PASSKEY, CODE_AT));
        Authentication syncedMarkerAsPlainAuthority = signIn(factor(SignInFactors.PASSKEY, CODE_AT),
                new SimpleGrantedAuthority(SignInFactors.SYNCED_PASSKEY));
        assertThat(SignInAssurance.level(withCode)).isEqualTo(AuthenticationLevel.MFA);
        assertThat(SignInAssurance.amr(syncedPasskey)).containsExactly("mfa", "swk");
        assertThat(SignInAssurance.amr(syncedMarkerAsPlainAuthority)).containsExactly("mfa", "swk");
        assertThat(SignInAssurance.amr(deviceBoundPasskey)).containsExactly("hwk", "mfa");
        return List.of(password, withCode, withRecoveryCode, deviceBoundPasskey, syncedPasskey,
                syncedMarkerAsPlainAuthority);
    }

    private static GrantedAuthority factor(String name, Instant at) {
        return FactorGrantedAuthority.withAuthority(name).issuedAt(at).build();
    }

    private static Authentication signIn(GrantedAuthority... factors) {
        List<GrantedAuthority> authorities = new java.util.ArrayList<>(List.of(factors));
        authorities.add(new SimpleGrantedAuthority("ROLE_user"));
        return UsernamePasswordAuthenticationToken.authenticated("3f1c1f9e-6a4e-4b8e-9d0e-2b7a8c1d5e6f", null,
                authorities);
    }
}
