package io.latchkey.oauth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which published key sets Latchkey fetches: https, and plain http on loopback only outside production mode. */
class ClientPublicKeysTest {

    @Test
    void onlyHttpsIsFetchedInProductionAndLoopbackHttpBesidesOutsideIt() {
        assertThat(ClientPublicKeys.fetchable("https://keys.example/jwks", false)).hasToString("https://keys.example/jwks");
        assertThat(ClientPublicKeys.fetchable("http://127.0.0.1:8080/jwks", true)).hasHost("127.0.0.1");
        assertThatThrownBy(() -> ClientPublicKeys.fetchable("http://127.0.0.1:8080/jwks", false))
                .isInstanceOf(ClientPublicKeys.NoClientKeysException.class).hasMessageContaining("https");
        for (String refused : new String[] { "http://keys.example/jwks", "file:///etc/passwd", "ftp://keys.example/",
                "jar:file:/x!/y", "not a url", "https://" }) {
            assertThatThrownBy(() -> ClientPublicKeys.fetchable(refused, true)).as(refused)
                    .isInstanceOf(ClientPublicKeys.NoClientKeysException.class);
        }
    }
}
