package io.latchkey.account;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import io.latchkey.keys.MasterKey;
import io.latchkey.runtime.Issuer;
import io.latchkey.runtime.ProductionCookies;
import io.latchkey.runtime.RuntimeMode;
import io.latchkey.ratelimit.RateLimitProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** Device cookies across a rotation of the master key: their JWS kid names the master key that signed them. */
class TrustedDevicesKeyRotationTest {

    private static final String ACCOUNT = "Someone@Latchkey.test";

    private final String keyA = randomKey();
    private final String keyB = randomKey();

    @Test
    void aCookieSignedUnderThePreviousKeyIsTrustedUntilThatKeyIsDropped() throws Exception {
        MasterKey a = MasterKey.fromSettings(keyA, "");
        String underA = devices(a).issue(ACCOUNT);
        assertThat(SignedJWT.parse(underA).getHeader().getKeyID()).isEqualTo(a.currentId());

        MasterKey rotated = MasterKey.fromSettings(keyB, keyA);
        TrustedDevices duringRotation = devices(rotated);
        assertThat(duringRotation.deviceOf(underA, ACCOUNT)).isPresent();
        assertThat(duringRotation.deviceOf(underA, "someone-else@latchkey.test")).isEmpty();
        String underB = duringRotation.issue(ACCOUNT);
        assertThat(SignedJWT.parse(underB).getHeader().getKeyID()).isEqualTo(rotated.currentId());

        TrustedDevices afterRotation = devices(MasterKey.fromSettings(keyB, ""));
        assertThat(afterRotation.deviceOf(underB, ACCOUNT)).isPresent();
        assertThat(afterRotation.deviceOf(underA, ACCOUNT)).as("signed under the dropped key").isEmpty();
    }

    @Test
    void aCookieFromBeforeMasterKeyIdsIsCheckedAgainstEveryConfiguredKey() throws Exception {
        MasterKey a = MasterKey.fromSettings(keyA, "");
        String subject = devices(a).issue(ACCOUNT);
        String accountHash = SignedJWT.parse(subject).getJWTClaimsSet().getSubject();
        SignedJWT legacy = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(accountHash).jwtID("device-1").expirationTime(new Date(System.currentTimeMillis() + 60_000))
                .build());
        legacy.sign(new MACSigner(a.deriveKey("latchkey device cookie signature v1")));

        assertThat(devices(MasterKey.fromSettings(keyB, keyA)).deviceOf(legacy.serialize(), ACCOUNT)).contains("device-1");
        assertThat(devices(MasterKey.fromSettings(keyB, "")).deviceOf(legacy.serialize(), ACCOUNT)).isEmpty();
    }

    private static TrustedDevices devices(MasterKey masterKey) {
        return new TrustedDevices(masterKey, new RateLimitProperties(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null), Clock.systemUTC(), new Issuer("https://id.latchkey.test"),
                new ProductionCookies(new RuntimeMode(new MockEnvironment())));
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
