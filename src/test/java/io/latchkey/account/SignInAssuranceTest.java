package io.latchkey.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** Every combination of factors, mapped to {@code amr} and {@code acr}. */
class SignInAssuranceTest {

    private static final String PWD = SignInFactors.PASSWORD;
    private static final String TOTP = SignInFactors.TOTP;
    private static final String RECOVERY = SignInFactors.RECOVERY_CODE;
    private static final String PASSKEY = SignInFactors.PASSKEY;
    private static final String SYNCED = SignInFactors.SYNCED_PASSKEY;

    static Stream<Arguments> combinations() {
        return Stream.of(
                Arguments.of(Set.of(), List.of(), null),
                Arguments.of(Set.of(PWD), List.of("pwd"), AuthenticationLevel.PASSWORD),
                Arguments.of(Set.of(TOTP), List.of("otp"), AuthenticationLevel.PASSWORD),
                Arguments.of(Set.of(RECOVERY), List.of("otp"), AuthenticationLevel.PASSWORD),
                Arguments.of(Set.of(PWD, TOTP), List.of("mfa", "otp", "pwd"), AuthenticationLevel.MFA),
                Arguments.of(Set.of(PWD, RECOVERY), List.of("mfa", "otp", "pwd"), AuthenticationLevel.MFA),
                Arguments.of(Set.of(PWD, TOTP, RECOVERY), List.of("mfa", "otp", "pwd"), AuthenticationLevel.MFA),
                Arguments.of(Set.of(PASSKEY), List.of("hwk", "mfa"), AuthenticationLevel.PHISHING_RESISTANT),
                Arguments.of(Set.of(PASSKEY, SYNCED), List.of("mfa", "swk"), AuthenticationLevel.PHISHING_RESISTANT),
                Arguments.of(Set.of(PWD, PASSKEY), List.of("hwk", "mfa", "pwd"), AuthenticationLevel.PHISHING_RESISTANT),
                Arguments.of(Set.of(PWD, PASSKEY, SYNCED), List.of("mfa", "pwd", "swk"),
                        AuthenticationLevel.PHISHING_RESISTANT),
                Arguments.of(Set.of(PASSKEY, TOTP), List.of("hwk", "mfa", "otp"), AuthenticationLevel.PHISHING_RESISTANT),
                Arguments.of(Set.of(PWD, TOTP, PASSKEY, SYNCED), List.of("mfa", "otp", "pwd", "swk"),
                        AuthenticationLevel.PHISHING_RESISTANT),
                // the marker alone proves nothing
                Arguments.of(Set.of(SYNCED), List.of(), null),
                Arguments.of(Set.of(PWD, SYNCED), List.of("pwd"), AuthenticationLevel.PASSWORD));
    }

    @ParameterizedTest
    @MethodSource("combinations")
    void mapsFactorsToAmrAndAcr(Set<String> factors, List<String> amr, AuthenticationLevel level) {
        assertThat(SignInAssurance.amr(factors)).isEqualTo(amr);
        assertThat(SignInAssurance.level(factors)).isEqualTo(level);
        Authentication signIn = signIn(factors, false);
        assertThat(SignInAssurance.amr(signIn)).isEqualTo(amr);
        assertThat(SignInAssurance.level(signIn)).isEqualTo(level);
    }

    @Test
    void theSyncedMarkerCountsAsAPlainAuthorityToo() {
        Authentication signIn = signIn(Set.of(PASSKEY, SYNCED), true);
        assertThat(SignInAssurance.amr(signIn)).containsExactly("mfa", "swk");
    }

    @Test
    void otherAuthoritiesAreNotFactors() {
        Authentication signIn = UsernamePasswordAuthenticationToken.authenticated("user", null,
                List.of(new SimpleGrantedAuthority(PWD), new SimpleGrantedAuthority("ROLE_admin")));
        assertThat(SignInAssurance.amr(signIn)).isEmpty();
        assertThat(SignInAssurance.level(signIn)).isNull();
        assertThat(SignInAssurance.amr((Authentication) null)).isEmpty();
    }

    @Test
    void levelsAreOrderedAndNamed() {
        assertThat(AuthenticationLevel.acrValues()).containsExactly("urn:latchkey:acr:password",
                "urn:latchkey:acr:mfa", "urn:latchkey:acr:phishing-resistant");
        assertThat(AuthenticationLevel.PHISHING_RESISTANT.satisfies(AuthenticationLevel.MFA)).isTrue();
        assertThat(AuthenticationLevel.MFA.satisfies(AuthenticationLevel.MFA)).isTrue();
        assertThat(AuthenticationLevel.PASSWORD.satisfies(AuthenticationLevel.MFA)).isFalse();
        assertThat(AuthenticationLevel.MFA.satisfies(AuthenticationLevel.PHISHING_RESISTANT)).isFalse();
        assertThat(AuthenticationLevel.ofAcr("urn:latchkey:acr:mfa")).contains(AuthenticationLevel.MFA);
        assertThat(AuthenticationLevel.ofAcr("urn:other:gold")).isEmpty();
        assertThat(AuthenticationLevel.ofAcr(null)).isEmpty();
    }

    private static Authentication signIn(Set<String> factors, boolean markerAsPlainAuthority) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_user"));
        for (String factor : factors) {
            authorities.add(factor.equals(SYNCED) && markerAsPlainAuthority ? new SimpleGrantedAuthority(factor)
                    : FactorGrantedAuthority.withAuthority(factor).issuedAt(Instant.now()).build());
        }
        return UsernamePasswordAuthenticationToken.authenticated("user", null, authorities);
    }
}
