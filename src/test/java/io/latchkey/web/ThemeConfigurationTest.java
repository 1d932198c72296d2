package io.latchkey.web;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.support.GenericApplicationContext;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templateresolver.ITemplateResolver;
import org.thymeleaf.templateresolver.TemplateResolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A theme overrides the default theme file by file. */
class ThemeConfigurationTest {

    @TempDir
    Path themes;

    @Test
    void themeFileWinsAndMissingFilesComeFromTheDefaultTheme() throws Exception {
        Files.createDirectories(themes.resolve("acme/templates"));
        Files.writeString(themes.resolve("acme/templates/login.html"), "<p>ACME sign-in</p>");
        ThemeConfiguration configuration = new ThemeConfiguration(themes.toString(), "acme");
        ITemplateResolver theme = configuration.themeTemplateResolver();
        var fallback = configuration.defaultTemplateResolver();
        fallback.setApplicationContext(new GenericApplicationContext());
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

    @Test
    void themeNameMustBeAFolderName() {
        assertThatThrownBy(() -> new ThemeConfiguration(themes.toString(), "../etc"))
                .hasMessageContaining("latchkey.theme");
    }

    @Test
    void missingThemeFolderIsAStartupError() {
        assertThatThrownBy(() -> new ThemeConfiguration(themes.toString(), "nonexistent"))
                .hasMessageContaining("does not exist");
    }
}
