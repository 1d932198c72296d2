package io.latchkey.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sector identifier of a pairwise client (OpenID Connect Core 8.1, OpenID Connect Dynamic Client Registration
 * 5): a client whose redirect URIs have more than one host must register a {@code sector_identifier_uri}, so that
 * its hosts form one sector on purpose; that URI must be https (http only on a loopback address, for development),
 * and the JSON array Latchkey fetches from it (short time-outs, at most {@value #MAX_BYTES} bytes, no redirects) must
 * list every redirect URI of the client: the sector's owner vouches for each host in it. Checked whenever the client
 * is saved (administration, registration, configuration at start-up), not when it is used.
 */
final class SectorIdentifierUriRule {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration TIMEOUT = Duration.ofSeconds(4);
    static final int MAX_BYTES = 64 * 1024;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "::1", "localhost");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private SectorIdentifierUriRule() {
    }

    /** Everything wrong with the client's sector, each as a sentence naming the property, {@code prefix} before it. */
    static List<String> problems(String prefix, ClientExtensions extensions, List<String> redirectUris) {
        List<String> problems = new ArrayList<>();
        if (!extensions.pairwise()) {
            return problems;
        }
        String property = prefix + "sector-identifier-uri";
        String sectorUri = extensions.sectorIdentifierUri();
        if (sectorUri == null) {
            Set<String> hosts = hostsOf(redirectUris);
            if (hosts.size() > 1) {
                problems.add(property + " is required for subject-type: pairwise when redirect-uris have more than one "
                        + "host (" + String.join(", ", hosts) + "): a JSON array at an https URL listing them all");
            }
            return problems;
        }
        if (sectorUri.length() > ClientExtensions.MAX_URI_LENGTH) {
            return problems; // ClientExtensions reports the length
        }
        String shown = sectorUri.length() > 100 ? sectorUri.substring(0, 100) + "..." : sectorUri;
        URI uri;
        try {
            uri = URI.create(sectorUri);
        }
        catch (IllegalArgumentException notAUri) {
            problems.add(property + ": '" + shown + "' is not a URL");
            return problems;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || uri.getRawFragment() != null || uri.getRawUserInfo() != null
                || !(scheme.equals("https") || scheme.equals("http") && LOOPBACK_HOSTS.contains(host))) {
            problems.add(property + ": '" + shown + "' must be an https URL (http only on 127.0.0.1, [::1] or "
                    + "localhost), without user or fragment");
            return problems;
        }
        List<String> listed;
        try {
            listed = fetch(uri);
        }
        catch (UnusableDocument problem) {
            problems.add(property + ": '" + shown + "' " + problem.getMessage());
            return problems;
        }
        List<String> missing = redirectUris.stream().filter(redirect -> !listed.contains(redirect)).toList();
        if (!missing.isEmpty()) {
            problems.add(property + ": '" + shown + "' does not list every redirect URI of the client; missing: "
                    + String.join(", ", missing.stream().limit(5).toList()));
        }
        return problems;
    }

    private static List<String> fetch(URI uri) {
        HttpResponse<InputStream> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        }
        catch (IOException | IllegalArgumentException ex) {
            throw new UnusableDocument("could not be fetched (" + ex.getClass().getSimpleName() + ")");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new UnusableDocument("could not be fetched (interrupted)");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new UnusableDocument("answered " + response.statusCode() + ", not 200 (redirects are not followed)");
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new UnusableDocument("is larger than " + MAX_BYTES + " bytes");
            }
            JsonNode array = JSON.readTree(bytes);
            if (array == null || !array.isArray()) {
                throw new UnusableDocument("is not a JSON array of redirect URIs");
            }
            List<String> listed = new ArrayList<>();
            for (JsonNode entry : array) {
                if (!entry.isString()) {
                    throw new UnusableDocument("is not a JSON array of redirect URIs (strings)");
                }
                listed.add(entry.asString());
            }
            return listed;
        }
        catch (IOException | JacksonException ex) {
            throw new UnusableDocument("is not a JSON array of redirect URIs");
        }
    }

    private static Set<String> hostsOf(List<String> redirectUris) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String redirectUri : redirectUris) {
            try {
                String host = URI.create(redirectUri).getHost();
                if (host != null) {
                    hosts.add(host.toLowerCase(Locale.ROOT));
                }
            }
            catch (IllegalArgumentException notAUri) {
                // RedirectUriRule reports it
            }
        }
        return hosts;
    }

    private static final class UnusableDocument extends RuntimeException {

        UnusableDocument(String message) {
            super(message, null, false, false);
        }
    }
}
