package io.latchkey.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points the server at this JVM's PostgreSQL test database, on a free port chosen once, with the issuer
 * on that port, a random master key and the clients the tests use.
 */
public class TestServerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final int PORT = freePort();
    public static final int SMTP_PORT = freePort();
    public static final String ISSUER = "http://127.0.0.1:" + PORT;
    public static final String ALLOWED_ORIGIN = "https://spa.latchkey.test";
    public static final String MASTER_KEY = randomKey();

    public static final String CONFIDENTIAL_CLIENT = "confidential-app";
    public static final String CONFIDENTIAL_SECRET = "confidential-app-secret-0123456789";
    public static final String CONFIDENTIAL_REDIRECT = "http://127.0.0.1/callback";
    public static final String POST_LOGOUT_REDIRECT = "http://127.0.0.1/logged-out";
    public static final String PUBLIC_CLIENT = "public-app";
    public static final String PUBLIC_REDIRECT = "http://127.0.0.1/public-callback";
    public static final String TRUSTED_CLIENT = "trusted-app";
    public static final String TRUSTED_SECRET = "trusted-app-secret-0123456789";
    public static final String TRUSTED_REDIRECT = "http://127.0.0.1/trusted-callback";
    public static final String FIRST_PARTY_CLIENT = "first-party-app";
    public static final String FIRST_PARTY_SECRET = "first-party-app-secret-0123456789";
    public static final String MOBILE_CLIENT = "mobile-app";
    /** A native app: public, redirected to on the loopback interface (any port there, RFC 8252 section 7.3). */
    public static final String NATIVE_CLIENT = "native-app";
    public static final String NATIVE_REDIRECT_PATH = "/native-callback";
    public static final String STORED_CC_CLIENT = "stored-cc-app";
    public static final String STORED_CC_SECRET = "stored-cc-app-secret-0123456789";
    public static final String RESOURCE_SERVER_CLIENT = "resource-server";
    public static final String RESOURCE_SERVER_SECRET = "resource-server-secret-0123456789";
    public static final String GUARDED_CLIENT = "guarded-machine";
    public static final String GUARDED_SECRET = "guarded-machine-secret-0123456789";
    /** Where the back-channel logout tests' receiver listens; the clients below send logout tokens there. */
    public static final int BACKCHANNEL_PORT = freePort();
    public static final String LOGOUT_CLIENT = "logout-app";
    public static final String FLAKY_LOGOUT_CLIENT = "flaky-logout-app";
    public static final String OTHER_LOGOUT_CLIENT = "other-logout-app";
    public static final String LOGOUT_CLIENT_SECRET = "logout-app-secret-0123456789";
    public static final String LOGOUT_REDIRECT = "http://127.0.0.1/logout-app-callback";
    /** Issue 14 step-up: a client declared with require-mfa: true. */
    public static final String MFA_CLIENT = "mfa-app";
    public static final String MFA_SECRET = "mfa-app-secret-0123456789";
    public static final String MFA_REDIRECT = "http://127.0.0.1/mfa-app-callback";
    public static final int RATE_LIMIT_SIGN_INS_PER_IP = 8;
    public static final int RATE_LIMIT_ACCOUNT_FAILURES = 5;
    public static final String MUST_ENROL_ROLE = "must-enrol-second-factor";
    public static final int RATE_LIMIT_MAIL_REQUESTS_PER_IP = 6;

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("latchkey-test", properties()));
    }

    /** The test server's settings, test clients included; {@link SecondInstance} starts another server with them. */
    static Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", PORT);
        properties.put("latchkey.issuer", ISSUER);
        properties.put("latchkey.db.url", PostgresTestDatabase.sharedUrl());
        properties.put("latchkey.db.user", PostgresTestDatabase.user());
        properties.put("latchkey.db.password", PostgresTestDatabase.password());
        // the pool every concurrency test is sized against, whatever the machine
        properties.put("latchkey.db.pool.maximum-size", 10);
        properties.put("latchkey.master-key", MASTER_KEY);
        properties.put("latchkey.cors.allowed-origins", ALLOWED_ORIGIN);
        properties.put("latchkey.api.client-id", MOBILE_CLIENT);
        // issue 14, first-party apps: a role only SecondFactorChallengeTest gives, whose users must enrol first
        properties.put("latchkey.mfa.required-for-roles", MUST_ENROL_ROLE);
        properties.put("spring.mail.host", "127.0.0.1");
        properties.put("spring.mail.port", TestMailbox.start(SMTP_PORT));
        properties.put("latchkey.bootstrap.admin-email", "admin@latchkey.test");
        properties.put("latchkey.bootstrap.admin-password", "admin-password-for-tests");
        // Every test signs in from loopback: per-IP limits skip it, and tests that need a client IP of their own
        // send one in X-Forwarded-For, which is believed from loopback only in tests (see RateLimitTest).
        properties.put("latchkey.rate-limit.exempt-addresses", "127.0.0.1,::1");
        properties.put("latchkey.rate-limit.trusted-proxies", "127.0.0.1,::1");
        properties.put("latchkey.rate-limit.sign-in-attempts-per-ip", RATE_LIMIT_SIGN_INS_PER_IP);
        properties.put("latchkey.rate-limit.account-failures", RATE_LIMIT_ACCOUNT_FAILURES);
        properties.put("latchkey.rate-limit.mail-requests-per-ip", RATE_LIMIT_MAIL_REQUESTS_PER_IP);
        properties.put("latchkey.rate-limit.max-delay", "300ms");
        // Windows long enough that no bucket refills while a test walks up to its limit, even when bcrypt is slow on
        // a loaded machine (a one-minute window of 8 attempts gains one back every 7.5 s).
        properties.put("latchkey.rate-limit.sign-in-window", "10m");
        properties.put("latchkey.rate-limit.client-secret-window", "10m");

        client(properties, CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, "authorization_code,refresh_token,client_credentials",
                CONFIDENTIAL_REDIRECT, "openid,profile,email,roles,api.read", true);
        client(properties, PUBLIC_CLIENT, null, "authorization_code,refresh_token", PUBLIC_REDIRECT,
                "openid,profile,email", true);
        client(properties, TRUSTED_CLIENT, TRUSTED_SECRET, "authorization_code,refresh_token", TRUSTED_REDIRECT,
                "openid,profile,email,roles,permissions,latchkey.account,latchkey.admin", false);
        properties.put("latchkey.clients." + CONFIDENTIAL_CLIENT + ".display-name", "Confidential Test App");
        properties.put("latchkey.clients." + CONFIDENTIAL_CLIENT + ".logo-uri", "/static/latchkey-logo.svg");
        client(properties, FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET, "password,refresh_token", null,
                "openid,profile,email,roles,api.read", false);
        client(properties, MOBILE_CLIENT, null, "password,refresh_token", null, "openid,email", false);
        client(properties, NATIVE_CLIENT, null, "authorization_code,refresh_token", "http://127.0.0.1" + NATIVE_REDIRECT_PATH
                + ",http://[::1]" + NATIVE_REDIRECT_PATH + ",http://localhost" + NATIVE_REDIRECT_PATH, "openid", false);
        client(properties, STORED_CC_CLIENT, STORED_CC_SECRET, "client_credentials", null, "api.read", false);
        properties.put("latchkey.clients." + STORED_CC_CLIENT + ".client-credentials-tokens", "stored");
        client(properties, RESOURCE_SERVER_CLIENT, RESOURCE_SERVER_SECRET, "client_credentials", null, "api.read", false);
        properties.put("latchkey.clients." + RESOURCE_SERVER_CLIENT + ".resource-server", true);
        // only the client-secret limit tests use it: guessing at its secret locks out no other test's client
        client(properties, GUARDED_CLIENT, GUARDED_SECRET, "client_credentials", null, "api.read", false);
        // back-channel logout: each client's receiver is a path of its own on one loopback port
        for (String logoutClient : new String[] { LOGOUT_CLIENT, FLAKY_LOGOUT_CLIENT, OTHER_LOGOUT_CLIENT }) {
            client(properties, logoutClient, LOGOUT_CLIENT_SECRET, "authorization_code,refresh_token", LOGOUT_REDIRECT,
                    "openid,email", false);
            properties.put("latchkey.clients." + logoutClient + ".backchannel-logout-uri",
                    "http://127.0.0.1:" + BACKCHANNEL_PORT + "/" + logoutClient);
        }
        // issue 14 step-up
        client(properties, MFA_CLIENT, MFA_SECRET, "authorization_code,refresh_token", MFA_REDIRECT, "openid,email", false);
        properties.put("latchkey.clients." + MFA_CLIENT + ".require-mfa", true);
        properties.put("latchkey.backchannel-logout.initial-backoff", "200ms");
        properties.put("latchkey.backchannel-logout.max-backoff", "1s");
        properties.put("latchkey.backchannel-logout.poll-interval", "500ms");
        // issue 16 DPoP: the stricter mode, so that every DPoP test also goes through the server nonce
        properties.put("latchkey.dpop.require-nonce", true);
        return properties;
    }

    private static void client(Map<String, Object> properties, String id, String secret, String grantTypes,
            String redirectUri, String scopes, boolean requireConsent) {
        String prefix = "latchkey.clients." + id + ".";
        if (secret != null) {
            properties.put(prefix + "secret", secret);
        }
        properties.put(prefix + "grant-types", grantTypes);
        if (redirectUri != null) {
            properties.put(prefix + "redirect-uris", redirectUri);
        }
        properties.put(prefix + "post-logout-redirect-uris", POST_LOGOUT_REDIRECT);
        properties.put(prefix + "scopes", scopes);
        properties.put(prefix + "require-consent", requireConsent);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
