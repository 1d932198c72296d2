package io.latchkey.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The clients the server is started with, declared as environment variables as the README shows (ids
 * without dashes): a machine client with stateless client-credentials tokens (the default), one with
 * stored tokens, and a confidential web client that needs no consent.
 */
final class BenchClients {

    static final String MACHINE = "benchcc";
    static final String MACHINE_STORED = "benchccstored";
    static final String WEB = "benchweb";
    static final String WEB_REDIRECT = "http://127.0.0.1/cb";
    static final String WEB_SCOPES = "openid profile email";

    final String machineSecret = randomSecret();
    final String machineStoredSecret = randomSecret();
    final String webSecret = randomSecret();

    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LATCHKEY_CLIENTS_BENCHCC_SECRET", machineSecret);
        env.put("LATCHKEY_CLIENTS_BENCHCC_GRANT_TYPES", "client_credentials");
        env.put("LATCHKEY_CLIENTS_BENCHCC_SCOPES", "api.read");
        env.put("LATCHKEY_CLIENTS_BENCHCCSTORED_SECRET", machineStoredSecret);
        env.put("LATCHKEY_CLIENTS_BENCHCCSTORED_GRANT_TYPES", "client_credentials");
        env.put("LATCHKEY_CLIENTS_BENCHCCSTORED_SCOPES", "api.read");
        env.put("LATCHKEY_CLIENTS_BENCHCCSTORED_CLIENT_CREDENTIALS_TOKENS", "stored");
        env.put("LATCHKEY_CLIENTS_BENCHWEB_SECRET", webSecret);
        env.put("LATCHKEY_CLIENTS_BENCHWEB_GRANT_TYPES", "authorization_code,refresh_token");
        env.put("LATCHKEY_CLIENTS_BENCHWEB_REDIRECT_URIS", WEB_REDIRECT);
        env.put("LATCHKEY_CLIENTS_BENCHWEB_SCOPES", WEB_SCOPES.replace(' ', ','));
        env.put("LATCHKEY_CLIENTS_BENCHWEB_REQUIRE_CONSENT", "false");
        return env;
    }

    String machineBasic() {
        return basic(MACHINE, machineSecret);
    }

    String machineStoredBasic() {
        return basic(MACHINE_STORED, machineStoredSecret);
    }

    String webBasic() {
        return basic(WEB, webSecret);
    }

    static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
