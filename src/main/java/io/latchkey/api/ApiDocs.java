package io.latchkey.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.latchkey.oauth.TokenAudience;
import io.latchkey.runtime.Issuer;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

/**
 * The OpenAPI description of the API ({@code /api/docs/openapi.json}), shown by Swagger UI at
 * {@code /api/docs}. Every operation needs a bearer access token unless it says otherwise.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocs {

    static final String BEARER = "bearer";

    @Bean
    OpenAPI latchkeyApi(Issuer issuer, TokenAudience audience) {
        return new OpenAPI()
                .info(new Info().title("Latchkey API").version("v1")
                        .description("Latchkey's first-party API. Send an access token issued by this Latchkey "
                                + "for the API (audience " + audience.api() + ": the scope latchkey.account or "
                                + "latchkey.admin, or a sign-in through /api/v1/auth/login) as "
                                // a code span: Swagger UI renders the description as Markdown, where a bare
                                // <token> would be taken for an HTML tag and vanish
                                + "`Authorization: Bearer <token>`. Errors are problem details (RFC 9457)."))
                .addServersItem(new Server().url(issuer.url()))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("An access token issued by this Latchkey for its API")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}
