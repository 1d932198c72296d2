package io.latchkey.keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

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
        assertThat(header).contains("\"kid\":\"kid-a\"");
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

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
