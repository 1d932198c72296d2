package io.latchkey.client;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A confidential client named as the API's client stops the start, with the problem named. */
class ApiClientMustBePublicTest {

    private static final List<String> PASSWORD_GRANT = List.of("password", "refresh_token");
    private static final Map<String, ClientDefinition> DECLARED = Map.of(
            "mobile", new ClientDefinition(null, PASSWORD_GRANT, null, null, List.of("openid"), false, null, null),
            "backend", new ClientDefinition("a-secret-of-enough-length", PASSWORD_GRANT, null, null, List.of("openid"),
                    false, null, null));

    @Test
    void aConfidentialApiClientIsAProblem() {
        assertThat(ApiClientMustBePublic.problems("backend", DECLARED)).singleElement().asString()
                .contains("latchkey.api.client-id")
                .contains("'backend'")
                .contains("must be public")
                .contains("latchkey.clients.backend.secret");
        assertThat(ApiClientMustBePublic.problems(" backend ", DECLARED)).hasSize(1);
    }

    @Test
    void aPublicApiClientOrNoneIsFine() {
        assertThat(ApiClientMustBePublic.problems("mobile", DECLARED)).isEmpty();
        assertThat(ApiClientMustBePublic.problems(null, DECLARED)).isEmpty();
        assertThat(ApiClientMustBePublic.problems("", DECLARED)).isEmpty();
        assertThat(ApiClientMustBePublic.problems("undeclared", DECLARED)).isEmpty();
    }
}
