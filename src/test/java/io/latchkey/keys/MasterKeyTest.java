package io.latchkey.keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;

import io.latchkey.keys.MasterKey.InvalidMasterKeyException;
import io.latchkey.runtime.RuntimeMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The master key that seals private signing keys at rest, and how it is resolved at start. */
class MasterKeyTest {

    private static final String SECRET = "{\"kty\":\"RSA\",\"d\":\"private-part\"}";

    @Test
    void sealedValueOpensWithTheSameKeyAndKid() {
        MasterKey key = new MasterKey(randomBytes(32));

        String sealed = key.seal(SECRET, "kid-a");

        assertThat(sealed).doesNotContain("private-part");
        assertThat(sealed.split("\\.", -1)).hasSize(5);
        assertThat(key.open(sealed, "kid-a")).isEqualTo(SECRET);
        assertThat(key.seal(SECRET, "kid-a")).as("a fresh IV for every seal").isNotEqualTo(sealed);
    }

    @Test
    void openingWithAnotherMasterKeyFailsNamingTheSetting() {
        String sealed = new MasterKey(randomBytes(32)).seal(SECRET, "kid-a");
        MasterKey other = new MasterKey(randomBytes(32));

        assertThatThrownBy(() -> other.open(sealed, "kid-a"))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("LATCHKEY_MASTER_KEY");
    }

    @Test
    void valueSealedForOneKidCannotBeOpenedAsAnother() {
        MasterKey key = new MasterKey(randomBytes(32));
        String sealed = key.seal(SECRET, "kid-a");

        assertThatThrownBy(() -> key.open(sealed, "kid-b"))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("kid-b");
    }

    @Test
    void rewritingTheKidInTheHeaderBreaksTheAuthenticationTag() {
        MasterKey key = new MasterKey(randomBytes(32));
        String sealed = key.seal(SECRET, "kid-a");
        String[] parts = sealed.split("\\.", -1);
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        assertThat(header).contains("\"latchkey_bound_to\":\"kid-a\"").contains("\"kid\":\"" + key.currentId() + "\"");
        parts[0] = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(header.replace("kid-a", "kid-b").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> key.open(String.join(".", parts), "kid-b"))
                .isInstanceOf(InvalidMasterKeyException.class);
    }

    @Test
    void garbageIsNotOpened() {
        MasterKey key = new MasterKey(randomBytes(32));

        assertThatThrownBy(() -> key.open("not-a-jwe", "kid-a")).isInstanceOf(InvalidMasterKeyException.class);
    }

    @Test
    void withADatabaseConfiguredTheKeyIsRequired() {
        RuntimeMode production = new RuntimeMode(new MockEnvironment()
                .withProperty("latchkey.db.url", "jdbc:postgresql://127.0.0.1:5432/latchkey"));
        assertThat(production.isEmbedded()).isFalse();

        for (String missing : new String[] { null, "", "   " }) {
            assertThatThrownBy(() -> MasterKey.resolve(missing, production))
                    .isInstanceOf(InvalidMasterKeyException.class)
                    .hasMessageContaining("LATCHKEY_MASTER_KEY is required")
                    .hasMessageContaining("openssl rand -base64 32");
        }
    }

    @Test
    void configuredKeyIsUsedEvenWithADatabase() {
        RuntimeMode production = new RuntimeMode(new MockEnvironment()
                .withProperty("latchkey.db.url", "jdbc:postgresql://127.0.0.1:5432/latchkey"));
        String encoded = Base64.getEncoder().encodeToString(randomBytes(32));

        MasterKey first = MasterKey.resolve(encoded, production);
        MasterKey again = MasterKey.resolve(" " + encoded + "\n", production);

        assertThat(again.open(first.seal(SECRET, "k"), "k")).isEqualTo(SECRET);
    }

    @Test
    void keyThatIsNotBase64IsRejected() {
        RuntimeMode production = new RuntimeMode(new MockEnvironment()
                .withProperty("latchkey.db.url", "jdbc:postgresql://127.0.0.1:5432/latchkey"));

        assertThatThrownBy(() -> MasterKey.resolve("this is *not* base64!", production))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("LATCHKEY_MASTER_KEY is not valid base64")
                .hasMessageContaining("openssl rand -base64 32");
    }

    @Test
    void keyOfTheWrongLengthIsRejected() {
        RuntimeMode production = new RuntimeMode(new MockEnvironment()
                .withProperty("latchkey.db.url", "jdbc:postgresql://127.0.0.1:5432/latchkey"));
        String sixteenBytes = Base64.getEncoder().encodeToString(randomBytes(16));

        assertThatThrownBy(() -> MasterKey.resolve(sixteenBytes, production))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("LATCHKEY_MASTER_KEY")
                .hasMessageContaining("exactly 32 random bytes")
                .hasMessageContaining("decodes to 16 bytes");
    }

    @Test
    void embeddedModeGeneratesAnOwnerOnlyKeyFileAndReusesIt(@TempDir Path dataDir) throws Exception {
        Path nested = dataDir.resolve("not-yet-created");
        RuntimeMode embedded = new RuntimeMode(new MockEnvironment().withProperty("latchkey.data-dir", nested.toString()));
        assertThat(embedded.isEmbedded()).isTrue();

        MasterKey first = MasterKey.resolve(null, embedded);

        Path file = nested.resolve("master.key");
        assertThat(file).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim())).hasSize(32);

        String sealed = first.seal(SECRET, "kid-a");
        String contentBefore = Files.readString(file);
        MasterKey second = MasterKey.resolve("", embedded);

        assertThat(Files.readString(file)).as("the key file is not regenerated").isEqualTo(contentBefore);
        assertThat(second.open(sealed, "kid-a")).isEqualTo(SECRET);
    }

    @Test
    void embeddedModePrefersAConfiguredKeyOverTheFile(@TempDir Path dataDir) {
        RuntimeMode embedded = new RuntimeMode(new MockEnvironment().withProperty("latchkey.data-dir", dataDir.toString()));
        String encoded = Base64.getEncoder().encodeToString(randomBytes(32));

        MasterKey configured = MasterKey.resolve(encoded, embedded);

        assertThat(dataDir.resolve("master.key")).doesNotExist();
        assertThat(MasterKey.fromBase64(encoded).open(configured.seal(SECRET, "k"), "k")).isEqualTo(SECRET);
    }

    @Test
    void aPreviousKeyStillOpensWhatItSealedWhileNewValuesAreSealedUnderTheCurrentKey() {
        String keyA = base64Key();
        String keyB = base64Key();
        MasterKey a = MasterKey.resolve(keyA, PRODUCTION);
        String sealedUnderA = a.seal(SECRET, "kid-a");

        MasterKey rotated = MasterKey.resolve(keyB, keyA, PRODUCTION);

        assertThat(rotated.currentId()).isNotEqualTo(a.currentId());
        assertThat(rotated.previousIds()).containsExactly(a.currentId());
        assertThat(MasterKey.sealedUnder(sealedUnderA)).contains(a.currentId());
        assertThat(rotated.open(sealedUnderA, "kid-a")).isEqualTo(SECRET);
        String sealedUnderB = rotated.seal(SECRET, "kid-a");
        assertThat(MasterKey.sealedUnder(sealedUnderB)).contains(rotated.currentId());
        assertThatThrownBy(() -> a.open(sealedUnderB, "kid-a")).isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining(rotated.currentId());
        assertThat(MasterKey.resolve(keyB, PRODUCTION).open(sealedUnderB, "kid-a")).isEqualTo(SECRET);
    }

    @Test
    void theKeyIdIsDerivedFromTheKeyAndRevealsNothingOfIt() {
        String encoded = base64Key();
        MasterKey key = MasterKey.resolve(encoded, PRODUCTION);

        assertThat(key.currentId()).hasSize(12).isEqualTo(MasterKey.resolve(encoded, PRODUCTION).currentId())
                .isNotEqualTo(MasterKey.resolve(base64Key(), PRODUCTION).currentId());
        assertThat(encoded).doesNotContain(key.currentId());
        assertThat(Base64.getUrlEncoder().encodeToString(Base64.getDecoder().decode(encoded)))
                .doesNotContain(key.currentId());
    }

    @Test
    void derivedKeysOfEveryMasterKeyComeCurrentFirstAndDerivationIsUnchanged() {
        String keyA = base64Key();
        String keyB = base64Key();
        MasterKey a = MasterKey.resolve(keyA, PRODUCTION);
        MasterKey rotated = MasterKey.resolve(keyB, keyA, PRODUCTION);

        assertThat(rotated.deriveAll("purpose")).extracting(MasterKey.DerivedKey::masterKeyId)
                .containsExactly(rotated.currentId(), a.currentId());
        assertThat(rotated.deriveAll("purpose").get(1).key().getEncoded())
                .isEqualTo(a.deriveKey("purpose").getEncoded());
        assertThat(rotated.derive("purpose", a.currentId())).get().extracting(k -> k.key().getEncoded())
                .isEqualTo(a.deriveKey("purpose").getEncoded());
        assertThat(rotated.derive("purpose", "unknown")).isEmpty();
    }

    @Test
    void valuesSealedBeforeMasterKeysHadIdsOpenUnderThePreviousKey() throws Exception {
        String keyA = base64Key();
        JWEObject legacy = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                .keyID("kid-a").build(), new Payload(SECRET));
        legacy.encrypt(new DirectEncrypter(Base64.getDecoder().decode(keyA)));
        String sealed = legacy.serialize();

        assertThat(MasterKey.sealedUnder(sealed)).isEmpty();
        assertThat(MasterKey.resolve(keyA, PRODUCTION).open(sealed, "kid-a")).isEqualTo(SECRET);
        assertThat(MasterKey.resolve(base64Key(), keyA, PRODUCTION).open(sealed, "kid-a")).isEqualTo(SECRET);
        assertThatThrownBy(() -> MasterKey.resolve(base64Key(), PRODUCTION).open(sealed, "kid-a"))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("LATCHKEY_MASTER_KEY_PREVIOUS");
        assertThatThrownBy(() -> MasterKey.resolve(keyA, PRODUCTION).open(sealed, "kid-b"))
                .isInstanceOf(InvalidMasterKeyException.class).hasMessageContaining("kid-b");
    }

    @Test
    void aValueSealedUnderAKeyThatIsNotConfiguredNamesItsKeyIdAndTheSettings() {
        MasterKey a = MasterKey.resolve(base64Key(), PRODUCTION);
        String sealed = a.seal(SECRET, "kid-a");
        MasterKey wrongPrevious = MasterKey.resolve(base64Key(), base64Key(), PRODUCTION);

        assertThatThrownBy(() -> wrongPrevious.open(sealed, "kid-a"))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("sealed under master key id " + a.currentId())
                .hasMessageContaining("LATCHKEY_MASTER_KEY (id " + wrongPrevious.currentId() + ")")
                .hasMessageContaining("LATCHKEY_MASTER_KEY_PREVIOUS (ids " + wrongPrevious.previousIds().get(0) + ")");
    }

    @Test
    void aMalformedPreviousKeyStopsStartNamingTheSettingAndItsPlaceWithoutTheKey() {
        String current = base64Key();
        String shortKey = Base64.getEncoder().encodeToString(randomBytes(16));

        assertThatThrownBy(() -> MasterKey.resolve(current, base64Key() + "," + shortKey, PRODUCTION))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("LATCHKEY_MASTER_KEY_PREVIOUS, entry 2")
                .hasMessageContaining("decodes to 16 bytes")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> MasterKey.resolve(current, "not base64!", PRODUCTION))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("LATCHKEY_MASTER_KEY_PREVIOUS, entry 1 is not valid base64");
    }

    @Test
    void thePreviousListIgnoresBlanksDuplicatesAndTheCurrentKey() {
        String current = base64Key();
        String previous = base64Key();
        MasterKey key = MasterKey.resolve(current, " " + previous + ", ," + current + "," + previous + " ", PRODUCTION);

        assertThat(key.previousIds()).containsExactly(MasterKey.resolve(previous, PRODUCTION).currentId());
    }

    private static final RuntimeMode PRODUCTION = new RuntimeMode(new MockEnvironment()
            .withProperty("latchkey.db.url", "jdbc:postgresql://127.0.0.1:5432/latchkey"));

    private static String base64Key() {
        return Base64.getEncoder().encodeToString(randomBytes(32));
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
