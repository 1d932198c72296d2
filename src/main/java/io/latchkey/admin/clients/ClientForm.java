package io.latchkey.admin.clients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.validation.BindingResult;

import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientExtensions;
import io.latchkey.client.ClientView;

/**
 * The console's client form, as typed: redirect URIs one per line, scopes separated by spaces, lifetimes in whole
 * minutes (access tokens) and days (refresh tokens), empty for the default. The secret is never part of it.
 */
public class ClientForm {

    static final String CONFIDENTIAL = "confidential";
    static final String PUBLIC = "public";
    private static final int LONGEST_NUMBER = 9;
    private static final int LONGEST_DURATION = 40;

    private String clientId = "";
    private String displayName = "";
    private String type = CONFIDENTIAL;
    private List<String> grantTypes = new ArrayList<>();
    private String redirectUris = "";
    private String postLogoutRedirectUris = "";
    private String scopes = "";
    private boolean requirePkce;
    private boolean requireConsent;
    private String accessTokenMinutes = "";
    private String refreshTokenDays = "";
    private String logoUri = "";
    private boolean requireMfa;

    /** A new client's form: a web app with the code flow, PKCE and consent. */
    static ClientForm blank() {
        ClientForm form = new ClientForm();
        form.grantTypes = new ArrayList<>(List.of("authorization_code", "refresh_token"));
        form.scopes = "openid profile email";
        form.requirePkce = true;
        form.requireConsent = true;
        return form;
    }

    /** The form filled in with a client's settings, to edit it. */
    static ClientForm of(ClientView client) {
        ClientForm form = new ClientForm();
        form.clientId = client.clientId();
        form.displayName = client.displayName() == null || client.displayName().equals(client.clientId()) ? ""
                : client.displayName();
        form.type = client.confidential() ? CONFIDENTIAL : PUBLIC;
        form.grantTypes = new ArrayList<>(client.grantTypes());
        form.redirectUris = String.join("\n", client.redirectUris());
        form.postLogoutRedirectUris = String.join("\n", client.postLogoutRedirectUris());
        form.scopes = String.join(" ", client.scopes());
        form.requirePkce = client.requirePkce();
        form.requireConsent = client.requireConsent();
        form.accessTokenMinutes = shown(client.accessTokenTtl(), Duration.ofMinutes(1));
        form.refreshTokenDays = shown(client.refreshTokenTtl(), Duration.ofDays(1));
        form.logoUri = client.logoUri() == null ? "" : client.logoUri();
        form.requireMfa = client.requireMfa();
        return form;
    }

    /**
     * The form as a draft; a lifetime that is not a whole number is a field error in {@code errors}. The settings the
     * form does not show (back-channel logout, the extensions of {@link ClientExtensions}) are kept as given.
     */
    ClientDraft draft(String backchannelLogoutUri, ClientExtensions extensions, BindingResult errors) {
        Duration access = lifetime("accessTokenMinutes", accessTokenMinutes, false, errors);
        Duration refresh = lifetime("refreshTokenDays", refreshTokenDays, true, errors);
        return new ClientDraft(displayName, !PUBLIC.equals(type), grantTypes == null ? List.of() : grantTypes,
                lines(redirectUris), lines(postLogoutRedirectUris), words(scopes), requirePkce, requireConsent, access,
                refresh, logoUri, requireMfa, backchannelLogoutUri, extensions);
    }

    private static Duration lifetime(String field, String value, boolean days, BindingResult errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String number = value.strip();
        if (number.length() <= LONGEST_NUMBER && number.matches("[0-9]+")) {
            long amount = Long.parseLong(number);
            return days ? Duration.ofDays(amount) : Duration.ofMinutes(amount);
        }
        if (number.length() <= LONGEST_DURATION && number.toUpperCase(java.util.Locale.ROOT).startsWith("P")) {
            try {
                // a lifetime set through the API or configuration that is no whole number of the unit, kept as it is
                return Duration.parse(number.toUpperCase(java.util.Locale.ROOT));
            }
            catch (java.time.format.DateTimeParseException malformed) {
                // answered below
            }
        }
        errors.rejectValue(field, "admin.clients.wholeNumber");
        return null;
    }

    /** A lifetime in the form's unit, or as an ISO-8601 duration when it is no whole number of it. */
    private static String shown(Duration lifetime, Duration unit) {
        if (lifetime == null) {
            return "";
        }
        return lifetime.toNanos() % unit.toNanos() == 0 ? Long.toString(lifetime.dividedBy(unit)) : lifetime.toString();
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("\\R")).map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
    }

    private static List<String> words(String text) {
        return text == null ? List.of() : Arrays.stream(text.strip().split("\\s+")).filter(word -> !word.isEmpty())
                .toList();
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public List<String> getGrantTypes() {
        return grantTypes;
    }

    public void setGrantTypes(List<String> grantTypes) {
        this.grantTypes = grantTypes;
    }

    public String getRedirectUris() {
        return redirectUris;
    }

    public void setRedirectUris(String redirectUris) {
        this.redirectUris = redirectUris;
    }

    public String getPostLogoutRedirectUris() {
        return postLogoutRedirectUris;
    }

    public void setPostLogoutRedirectUris(String postLogoutRedirectUris) {
        this.postLogoutRedirectUris = postLogoutRedirectUris;
    }

    public String getScopes() {
        return scopes;
    }

    public void setScopes(String scopes) {
        this.scopes = scopes;
    }

    public boolean isRequirePkce() {
        return requirePkce;
    }

    public void setRequirePkce(boolean requirePkce) {
        this.requirePkce = requirePkce;
    }

    public boolean isRequireConsent() {
        return requireConsent;
    }

    public void setRequireConsent(boolean requireConsent) {
        this.requireConsent = requireConsent;
    }

    public String getAccessTokenMinutes() {
        return accessTokenMinutes;
    }

    public void setAccessTokenMinutes(String accessTokenMinutes) {
        this.accessTokenMinutes = accessTokenMinutes;
    }

    public String getRefreshTokenDays() {
        return refreshTokenDays;
    }

    public void setRefreshTokenDays(String refreshTokenDays) {
        this.refreshTokenDays = refreshTokenDays;
    }

    public String getLogoUri() {
        return logoUri;
    }

    public void setLogoUri(String logoUri) {
        this.logoUri = logoUri;
    }

    public boolean isRequireMfa() {
        return requireMfa;
    }

    public void setRequireMfa(boolean requireMfa) {
        this.requireMfa = requireMfa;
    }
}
