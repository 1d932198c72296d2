package io.latchkey.theme;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.theme} and {@code latchkey.themes-dir}: which theme the pages and mails wear, and where themes live.
 *
 * @param theme the theme's folder name under {@code themesDir} (default {@code default})
 * @param themesDir the folder that holds the themes (default {@code ./themes})
 */
@ConfigurationProperties("latchkey")
record ThemeSettings(String theme, String themesDir) {

    ThemeSettings {
        theme = theme == null || theme.isBlank() ? "default" : theme.trim();
        themesDir = themesDir == null || themesDir.isBlank() ? "./themes" : themesDir.trim();
    }
}
