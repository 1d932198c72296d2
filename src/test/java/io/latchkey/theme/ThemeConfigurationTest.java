package io.latchkey.theme;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templateresolver.ITemplateResolver;
import org.thymeleaf.templateresolver.TemplateResolution;

import static org.assertj.core.api.Assertions.assertThat;

/** A theme overrides the default theme file by file. */
class ThemeConfigurationTest {

    @TempDir
    Path themes;

    @Test
    void themeFileWinsAndMissingFilesComeFromTheDefaultTheme() throws Exception {
        Files.createDirectories(themes.resolve("acme/templates"));
        Files.writeString(themes.resolve("acme/templates/login.html"), "<p>ACME sign-in</p>");
        ThemeConfiguration configuration = new ThemeConfiguration(new Theme(themes.toString(), "acme"));
        ITemplateResolver theme = configuration.themeTemplateResolver();
        ITemplateResolver fallback = configuration.defaultTemplateResolver();
        assertThat(theme.getOrder()).isLessThan(fallback.getOrder());
        var engineConfiguration = new SpringTemplateEngine().getConfiguration();

        TemplateResolution login = theme.resolveTemplate(engineConfiguration, null, "login", null);
        assertThat(login).isNotNull();
        assertThat(login.getTemplateResource().getDescription()).contains("acme").endsWith("login.html");

        assertThat(theme.resolveTemplate(engineConfiguration, null, "consent", null)).isNull();
        TemplateResolution consent = fallback.resolveTemplate(engineConfiguration, null, "consent", null);
        assertThat(consent).isNotNull();
        assertThat(consent.getTemplateResource().exists()).isTrue();
        assertThat(consent.getTemplateResource().getDescription()).contains("theme-default");
    }
}
