package io.latchkey.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.convert.DurationStyle;

import tools.jackson.databind.JsonNode;

import io.latchkey.client.ClientExtensions;

/**
 * Reads a document's tree into a {@link ConfigurationDocument}, listing every problem of shape on the way (an
 * unknown property, a missing one, a number where a list belongs) with its path, instead of stopping at the first.
 * What the values mean (redirect URIs, permissions, hashes) is checked by {@link ConfigurationImport}.
 */
final class DocumentReader {

    /** Longest free text (display names, descriptions, user names): the columns' size. */
    static final int MAX_TEXT = 200;
    /** A list of URIs or scopes is stored in one column of this size. */
    static final int MAX_LIST_TEXT = 1000;
    static final int MAX_EMAIL = 320;

    private static final Set<String> DOCUMENT = Set.of("version", "clients", "roles", "users");
    private static final Set<String> CLIENT = Set.of("client-id", "source", "display-name", "confidential",
            "secret-hash", "grant-types", "redirect-uris", "post-logout-redirect-uris", "scopes", "require-pkce",
            "require-consent", "access-token-ttl", "refresh-token-ttl", "logo-uri", "require-mfa",
            "backchannel-logout-uri", "enabled", "extensions");
    private static final Set<String> EXTENSIONS = Set.of("token-endpoint-auth-method", "jwks-uri", "jwks",
            "require-pushed-authorization-requests", "dpop-bound-access-tokens", "subject-type",
            "sector-identifier-uri", "resource-indicator", "token-exchange-targets");
    /** A JWK Set in JSON, as {@code ClientExtensions} allows it. */
    private static final int MAX_JWKS = 8000;
    private static final Set<String> ROLE = Set.of("name", "description", "permissions");
    private static final Set<String> USER = Set.of("id", "email", "name", "email-verified", "enabled",
            "password-hash", "roles");

    private final List<DocumentProblem> problems = new ArrayList<>();

    private DocumentReader() {
    }

    /** The document, or {@link DocumentRefused} with every problem of its shape. */
    static ConfigurationDocument read(JsonNode root) {
        DocumentReader reader = new DocumentReader();
        ConfigurationDocument document = reader.document(root);
        if (!reader.problems.isEmpty()) {
            throw new DocumentRefused(reader.problems);
        }
        return document;
    }

    private ConfigurationDocument document(JsonNode root) {
        if (!root.isObject()) {
            problem("", "the document must be a mapping with version, clients, roles and users");
            return null;
        }
        unknown(root, "", DOCUMENT);
        JsonNode version = root.get("version");
        int number = 0;
        if (version == null || version.isNull()) {
            problem("version", "version is required (" + ConfigurationDocument.VERSION + ")");
        }
        else if (!version.isIntegralNumber() || version.asInt() != ConfigurationDocument.VERSION) {
            problem("version", "version must be " + ConfigurationDocument.VERSION);
        }
        else {
            number = version.asInt();
        }
        List<ConfigurationDocument.Client> clients = new ArrayList<>();
        items(root, "clients", (node, path) -> clients.add(client(node, path)));
        List<ConfigurationDocument.Role> roles = new ArrayList<>();
        items(root, "roles", (node, path) -> roles.add(role(node, path)));
        List<ConfigurationDocument.User> users;
        if (root.get("users") == null || root.get("users").isNull()) {
            users = null;
        }
        else {
            List<ConfigurationDocument.User> listed = new ArrayList<>();
            items(root, "users", (node, path) -> listed.add(user(node, path)));
            users = listed;
        }
        return new ConfigurationDocument(number, clients, roles, users);
    }

    private ConfigurationDocument.Client client(JsonNode node, String path) {
        unknown(node, path, CLIENT);
        String secretHash = text(node, path, "secret-hash", false, MAX_TEXT);
        Boolean confidential = bool(node, path, "confidential");
        Boolean enabled = bool(node, path, "enabled");
        return new ConfigurationDocument.Client(text(node, path, "client-id", true, 200),
                text(node, path, "source", false, 32), text(node, path, "display-name", false, MAX_TEXT),
                confidential == null ? secretHash != null : confidential, secretHash,
                list(node, path, "grant-types"), list(node, path, "redirect-uris"),
                list(node, path, "post-logout-redirect-uris"), list(node, path, "scopes"),
                bool(node, path, "require-pkce"), bool(node, path, "require-consent"),
                duration(node, path, "access-token-ttl"), duration(node, path, "refresh-token-ttl"),
                text(node, path, "logo-uri", false, MAX_LIST_TEXT), bool(node, path, "require-mfa"),
                text(node, path, "backchannel-logout-uri", false, MAX_LIST_TEXT), enabled == null || enabled,
                extensions(node.get("extensions"), path + ".extensions"));
    }

    /** The settings of the standards beyond the core; their rules are the client's, checked on import. */
    private ClientExtensions extensions(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problem(path, path + " must be a mapping");
            return null;
        }
        unknown(node, path, EXTENSIONS);
        return new ClientExtensions(text(node, path, "token-endpoint-auth-method", false, 32),
                text(node, path, "jwks-uri", false, MAX_LIST_TEXT), text(node, path, "jwks", false, MAX_JWKS),
                bool(node, path, "require-pushed-authorization-requests"),
                bool(node, path, "dpop-bound-access-tokens"), text(node, path, "subject-type", false, 32),
                text(node, path, "sector-identifier-uri", false, MAX_LIST_TEXT),
                text(node, path, "resource-indicator", false, MAX_LIST_TEXT),
                list(node, path, "token-exchange-targets"));
    }

    private ConfigurationDocument.Role role(JsonNode node, String path) {
        unknown(node, path, ROLE);
        return new ConfigurationDocument.Role(text(node, path, "name", true, 64),
                text(node, path, "description", false, MAX_TEXT), list(node, path, "permissions"));
    }

    private ConfigurationDocument.User user(JsonNode node, String path) {
        unknown(node, path, USER);
        Boolean verified = bool(node, path, "email-verified");
        Boolean enabled = bool(node, path, "enabled");
        return new ConfigurationDocument.User(text(node, path, "id", false, 36),
                text(node, path, "email", true, MAX_EMAIL), text(node, path, "name", false, MAX_TEXT),
                Boolean.TRUE.equals(verified), enabled == null || enabled,
                text(node, path, "password-hash", false, MAX_TEXT), list(node, path, "roles"));
    }

    private interface Item {
        void read(JsonNode node, String path);
    }

    private void items(JsonNode parent, String name, Item item) {
        JsonNode list = parent.get(name);
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            problem(name, name + " must be a list");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String path = name + "[" + i + "]";
            if (!list.get(i).isObject()) {
                problem(path, path + " must be a mapping");
                continue;
            }
            item.read(list.get(i), path);
        }
    }

    private void unknown(JsonNode node, String path, Set<String> known) {
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            if (!known.contains(property.getKey())) {
                String at = path.isEmpty() ? shown(property.getKey()) : path + "." + shown(property.getKey());
                problem(at, "unknown property '" + shown(property.getKey()) + "'");
            }
        }
    }

    private String text(JsonNode node, String path, String name, boolean required, int maxLength) {
        JsonNode value = node.get(name);
        String at = path + "." + name;
        if (value == null || value.isNull()) {
            if (required) {
                problem(at, name + " is required");
            }
            return null;
        }
        if (!value.isString()) {
            problem(at, name + " must be text");
            return null;
        }
        return checked(at, name, value.asString(), maxLength);
    }

    private String checked(String at, String name, String text, int maxLength) {
        if (text.length() > maxLength) {
            problem(at, name + " must be at most " + maxLength + " characters");
            return null;
        }
        if (text.indexOf('\0') >= 0) {
            problem(at, name + " must not contain a NUL character");
            return null;
        }
        return text;
    }

    private Boolean bool(JsonNode node, String path, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            problem(path + "." + name, name + " must be true or false");
            return null;
        }
        return value.asBoolean();
    }

    private List<String> list(JsonNode node, String path, String name) {
        JsonNode value = node.get(name);
        String at = path + "." + name;
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            problem(at, name + " must be a list");
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isString()) {
                problem(at + "[" + i + "]", name + " must hold text only");
                continue;
            }
            String text = checked(at + "[" + i + "]", name, item.asString(), MAX_LIST_TEXT);
            if (text != null) {
                items.add(text);
            }
        }
        if (String.join(",", items).length() > MAX_LIST_TEXT) {
            problem(at, name + " together must be at most " + MAX_LIST_TEXT + " characters");
        }
        return items;
    }

    private String duration(JsonNode node, String path, String name) {
        String text = text(node, path, name, false, 64);
        if (text == null) {
            return null;
        }
        try {
            DurationStyle.detectAndParse(text.trim());
            return text.trim();
        }
        catch (IllegalArgumentException invalid) {
            problem(path + "." + name, name + " must be a duration such as PT15M or 15m");
            return null;
        }
    }

    private void problem(String path, String message) {
        problems.add(new DocumentProblem(path, message));
    }

    /** A property name as shown in a problem: printable and short, since it came from the document. */
    private static String shown(String name) {
        String printable = name.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 64 ? printable.substring(0, 64) + "..." : printable;
    }
}
