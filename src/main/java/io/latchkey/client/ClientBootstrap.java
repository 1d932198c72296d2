package io.latchkey.client;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.latchkey.jobs.ClusterJobs;
import io.latchkey.runtime.Issuer;
import io.latchkey.runtime.RuntimeMode;
import io.latchkey.runtime.StartupSummary;

/**
 * Upserts the clients declared under {@code latchkey.clients.*} at start, and disables those that were
 * declared before and no longer are ({@link UndeclaredClients}). A wrong declaration stops the start with
 * every problem listed, and so does a confidential client named as the API's client
 * ({@link ApiClientMustBePublic}). In evaluation mode a demo client is added whose secret is new at every
 * start and shown in the startup summary, so that the printed curl command always works.
 */
@Component
class ClientBootstrap implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ClientBootstrap.class);
    static final String DEMO_CLIENT_ID = "demo-client";
    static final String DEMO_CLIENT_NAME = "Latchkey Demo App";
    static final String DEMO_CLIENT_LOGO = "/static/latchkey-logo.svg";
    private static final String BOOTSTRAP_LEASE = "client-bootstrap";
    private static final Duration BOOTSTRAP_MAX_WAIT = Duration.ofMinutes(2);

    private final ClientRegistrations registrations;
    private final UndeclaredClients undeclaredClients;
    private final Environment environment;
    private final RuntimeMode mode;
    private final StartupSummary summary;
    private final String issuer;
    private final ClusterJobs jobs;

    ClientBootstrap(ClientRegistrations registrations, UndeclaredClients undeclaredClients, Environment environment,
            RuntimeMode mode, StartupSummary summary, Issuer issuer, ClusterJobs jobs) {
        this.registrations = registrations;
        this.undeclaredClients = undeclaredClients;
        this.environment = environment;
        this.mode = mode;
        this.summary = summary;
        this.issuer = issuer.url();
        this.jobs = jobs;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, ClientDefinition> declared = new TreeMap<>(Binder.get(environment)
                .bind("latchkey.clients", Bindable.mapOf(String.class, ClientDefinition.class))
                .orElse(Map.of()));
        List<String> problems = new ArrayList<>();
        declared.forEach((clientId, definition) -> problems.addAll(definition.problems(clientId)));
        problems.addAll(ApiClientMustBePublic.problems(environment.getProperty(ApiClientMustBePublic.PROPERTY), declared));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid client configuration:\n  - " + String.join("\n  - ", problems));
        }
        // instances starting at once on a new database would both find a client missing and both insert it
        jobs.runExclusively(BOOTSTRAP_LEASE, BOOTSTRAP_MAX_WAIT, () -> declared.forEach(registrations::upsert));
        declared.forEach((clientId, definition) -> {
            if (definition.grantTypes().contains("password")) {
                log.warn("Client {} has the legacy password grant enabled: prefer the authorization code flow with PKCE",
                        clientId);
                summary.add("Legacy password grant enabled for client: " + clientId);
            }
        });
        if (!declared.isEmpty()) {
            log.info("Registered {} configured client(s): {}", declared.size(), declared.keySet());
        }
        Set<String> stillDeclared = new HashSet<>(declared.keySet());
        if (mode.isEmbedded() && !declared.containsKey(DEMO_CLIENT_ID)) {
            registerDemoClient();
            stillDeclared.add(DEMO_CLIENT_ID);
        }
        List<String> disabled = undeclaredClients.disableAllBut(stillDeclared);
        if (!disabled.isEmpty()) {
            summary.add("Disabled clients no longer declared: " + String.join(", ", disabled));
        }
    }

    /**
     * The demo client, with a display name and a logo (the theme's, served by Latchkey itself) so that its consent
     * page looks like a real application's.
     */
    static ClientDefinition demoClient(String secret) {
        return new ClientDefinition(secret, List.of("authorization_code", "refresh_token", "client_credentials"),
                List.of("http://127.0.0.1:8080/login/oauth2/code/latchkey"), List.of("http://127.0.0.1:8080/"),
                List.of("openid", "profile", "email", "api.read"), true, null, null, null, DEMO_CLIENT_NAME,
                DEMO_CLIENT_LOGO, null, null);
    }

    private void registerDemoClient() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        registrations.upsert(DEMO_CLIENT_ID, demoClient(secret));
        summary.add("Demo client: " + DEMO_CLIENT_ID + " (evaluation only; its secret changes at every start)");
        summary.add("Try it:     curl -s -u " + DEMO_CLIENT_ID + ":" + secret
                + " -d grant_type=client_credentials -d scope=api.read " + issuer + "/oauth2/token");
    }
}
