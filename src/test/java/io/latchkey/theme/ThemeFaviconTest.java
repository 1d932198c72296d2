package io.latchkey.theme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /favicon.ico} is the theme's icon (its own first, .ico before .svg), or a quiet 404 without a body. */
class ThemeFaviconTest {

    @TempDir
    Path themes;

    @Test
    void theThemesSvgIconIsServedAsFaviconIco() throws IOException {
        Files.createDirectories(themes.resolve("custom/static"));
        Files.writeString(themes.resolve("custom/static/favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        var answer = new ThemeFavicon(new Theme(themes.toString(), "custom"), new DefaultResourceLoader()).favicon();
        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getHeaders().getContentType()).hasToString("image/svg+xml");
        assertThat(answer.getHeaders().getCacheControl()).contains("max-age");
    }

    @Test
    void anIcoFileComesBeforeAnSvgFile() throws IOException {
        Files.createDirectories(themes.resolve("custom/static"));
        Files.writeString(themes.resolve("custom/static/favicon.svg"), "<svg/>");
        Files.write(themes.resolve("custom/static/favicon.ico"), new byte[] { 0, 0, 1, 0 });
        var answer = new ThemeFavicon(new Theme(themes.toString(), "custom"), new DefaultResourceLoader()).favicon();
        assertThat(answer.getHeaders().getContentType()).hasToString("image/x-icon");
    }

    @Test
    void withoutAnIconTheAnswerIsAnEmpty404OrTheDefaultThemesIcon() throws IOException {
        Files.createDirectories(themes.resolve("custom/static"));
        ResponseEntity<?> answer = new ThemeFavicon(new Theme(themes.toString(), "custom"), new DefaultResourceLoader())
                .favicon();
        boolean defaultThemeHasAnIcon = new DefaultResourceLoader()
                .getResource(Theme.DEFAULT_THEME_LOCATION + "static/favicon.svg").exists();
        assertThat(answer.getStatusCode().value()).isEqualTo(defaultThemeHasAnIcon ? 200 : 404);
        if (!defaultThemeHasAnIcon) {
            assertThat(answer.getBody()).isNull();
        }
    }
}
