package io.latchkey.theme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default theme's focus ring stands out: at least 3:1 contrast (WCAG 2.2 SC 1.4.11, non-text contrast) against
 * both backgrounds it is drawn on, the page and the white card, computed from the colours in latchkey.css.
 */
class FocusRingContrastTest {

    private static final Path CSS = Path.of("themes", "default", "static", "latchkey.css");

    @Test
    void theFocusRingHasAtLeastThreeToOneAgainstPageAndCard() throws IOException {
        String css = Files.readString(CSS);
        String focus = variable(css, "focus");
        String page = variable(css, "bg");
        double againstCard = contrast(focus, "#ffffff");
        double againstPage = contrast(focus, page);
        System.out.printf("Focus ring %s: %.2f:1 against the card, %.2f:1 against the page (%s)%n", focus, againstCard,
                againstPage, page);
        assertThat(againstCard).isGreaterThanOrEqualTo(3.0);
        assertThat(againstPage).isGreaterThanOrEqualTo(3.0);
    }

    @Test
    void everyFocusableKindUsesThatRing() throws IOException {
        String css = Files.readString(CSS);
        Matcher rule = Pattern.compile("([^{}]*:focus[^{}]*)\\{([^}]*)}").matcher(css);
        int rules = 0;
        while (rule.find()) {
            rules++;
            assertThat(rule.group(2)).as(rule.group(1)).contains("outline: 3px solid var(--focus)");
            assertThat(rule.group(1)).contains("input:focus").contains("button:focus").contains("a:focus-visible");
        }
        assertThat(rules).isEqualTo(1);
    }

    @Test
    void theOldRingFailed() {
        assertThat(contrast("#7aa7ef", "#ffffff")).isLessThan(3.0); // 2.44:1, what the issue found
    }

    private static String variable(String css, String name) {
        Matcher value = Pattern.compile("--" + name + ":\\s*(#[0-9a-fA-F]{6})").matcher(css);
        assertThat(value.find()).as("--" + name + " in " + CSS).isTrue();
        return value.group(1);
    }

    /** WCAG 2 contrast ratio of two sRGB colours written #rrggbb. */
    static double contrast(String first, String second) {
        double a = luminance(first);
        double b = luminance(second);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    private static double luminance(String hex) {
        double r = channel(Integer.parseInt(hex.substring(1, 3), 16));
        double g = channel(Integer.parseInt(hex.substring(3, 5), 16));
        double b = channel(Integer.parseInt(hex.substring(5, 7), 16));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    }

    private static double channel(int value) {
        double c = value / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
