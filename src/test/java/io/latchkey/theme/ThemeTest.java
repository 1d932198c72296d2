package io.latchkey.theme;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThemeTest {

    @TempDir
    Path themes;

    @Test
    void themeNameMustBeAFolderName() {
        assertThatThrownBy(() -> new Theme(themes.toString(), "../etc")).hasMessageContaining("latchkey.theme");
    }

    @Test
    void missingThemeFolderIsAStartupError() {
        assertThatThrownBy(() -> new Theme(themes.toString(), "nonexistent")).hasMessageContaining("does not exist");
    }

    @Test
    void theDefaultThemeNeedsNoFolderAndStaticFilesComeFromTheThemeFirst() {
        Theme theme = new Theme(themes.toString(), "default");
        assertThat(theme.staticLocations()).containsExactly("file:" + themes.resolve("default/static") + "/",
                "classpath:/theme-default/static/");
    }
}
