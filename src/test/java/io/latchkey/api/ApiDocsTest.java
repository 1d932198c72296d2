package io.latchkey.api;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

import io.latchkey.support.Browser;
import io.latchkey.support.BrowserSession;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI description and Swagger UI at /api/docs, without a login, under the CSP. */
@IntegrationTest
class ApiDocsTest {

    @RegisterExtension
    static final BrowserSession chromium = new BrowserSession();

    @Test
    void openApiDescriptionListsEveryEndpointAndTheBearerScheme() {
        Browser.Response response = new Browser().get("/api/docs/openapi.json", "Accept", "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode doc = OAuth.json(response);
        assertThat(doc.get("openapi").asString()).startsWith("3.");
        List<String> paths = new ArrayList<>(doc.get("paths").propertyNames());
        assertThat(paths).containsExactlyInAnyOrder("/api/v1/auth/register", "/api/v1/auth/verify-email",
                "/api/v1/auth/resend-verification", "/api/v1/auth/password-reset/request",
                "/api/v1/auth/password-reset/confirm", "/api/v1/auth/login", "/api/v1/auth/refresh",
                "/api/v1/auth/logout", "/api/v1/users/me", "/api/v1/users/me/password", "/api/v1/users",
                "/api/v1/users/{id}", "/api/v1/users/{id}/roles", "/api/v1/users/{id}/disable",
                "/api/v1/users/{id}/enable", "/api/v1/users/{id}/force-password-reset",
                // issue 15, users and roles
                "/api/v1/admin/users", "/api/v1/admin/users/{id}", "/api/v1/admin/users/{id}/roles",
                "/api/v1/admin/users/{id}/disable", "/api/v1/admin/users/{id}/enable",
                "/api/v1/admin/users/{id}/unlock", "/api/v1/admin/users/{id}/force-password-reset",
                "/api/v1/admin/users/{id}/reset-mail", "/api/v1/admin/users/{id}/sessions",
                "/api/v1/admin/users/{id}/sessions/{handle}", "/api/v1/admin/users/{id}/consents",
                "/api/v1/admin/users/{id}/consents/{clientId}", "/api/v1/admin/users/{id}/passkeys",
                "/api/v1/admin/users/{id}/passkeys/{passkeyId}", "/api/v1/admin/users/{id}/second-factor",
                "/api/v1/admin/roles", "/api/v1/admin/roles/{name}", "/api/v1/admin/roles/{name}/permissions",
                "/api/v1/admin/permissions",
                // issue 15, keys and the audit trail
                "/api/v1/admin/keys", "/api/v1/admin/keys/rotate", "/api/v1/admin/events",
                "/api/v1/admin/events/export",
                "/api/v1/admin/config/export", "/api/v1/admin/config/import",
                "/api/v1/admin/clients", "/api/v1/admin/clients/{clientId}", "/api/v1/admin/clients/{clientId}/disable",
                "/api/v1/admin/clients/{clientId}/enable", "/api/v1/admin/clients/{clientId}/secret",
                "/api/v1/admin/clients/{clientId}/previous-secret");
        JsonNode bearer = doc.get("components").get("securitySchemes").get("bearer");
        assertThat(bearer.get("type").asString()).isEqualTo("http");
        assertThat(bearer.get("scheme").asString()).isEqualTo("bearer");
        assertThat(doc.get("security").toString()).contains("bearer");
        // the auth endpoints need no token
        assertThat(doc.get("paths").get("/api/v1/auth/register").get("post").get("security").toString()).isEqualTo("[]");
    }

    @Test
    void swaggerUiIsServedWithoutLogin() {
        Browser browser = new Browser();
        Browser.Response page = browser.follow(browser.get("/api/docs"));
        assertThat(page.status()).as(page.uri().toString()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self';")
                .contains("style-src 'self' 'unsafe-inline'");
    }

    @Test
    void swaggerUiRendersTheOperationsInARealBrowserWithoutCspViolations() {
        chromium.open("/api/docs");
        chromium.waitFor(By.cssSelector(".opblock"));
        assertThat(chromium.pageSource()).contains("/api/v1/users/me");
        assertThat(chromium.consoleErrors()).noneMatch(error -> error.contains("Content Security Policy"));
    }

    @Test
    void theDescriptionShowsTheBearerPlaceholderAsWritten() {
        chromium.open("/api/docs");
        chromium.waitFor(By.cssSelector(".opblock"));
        assertThat(chromium.element(By.cssSelector(".info .description")).getText())
                .contains("Authorization: Bearer <token>");
    }
}
