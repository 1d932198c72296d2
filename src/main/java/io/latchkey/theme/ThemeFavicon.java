package io.latchkey.theme;

import java.time.Duration;
import java.util.List;

import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /favicon.ico}, which browsers ask for on every page whatever the page links to: the theme's
 * {@code static/favicon.ico} or {@code static/favicon.svg} (the theme's own files first, then the default theme's),
 * or a quiet 404 without a body when there is none, so a missing icon costs no error page and no log line.
 */
@Controller
class ThemeFavicon {

    private static final List<Icon> ICONS = List.of(new Icon("favicon.ico", MediaType.parseMediaType("image/x-icon")),
            new Icon("favicon.svg", MediaType.parseMediaType("image/svg+xml")));

    private final Theme theme;
    private final ResourceLoader resources;

    ThemeFavicon(Theme theme, ResourceLoader resources) {
        this.theme = theme;
        this.resources = resources;
    }

    @GetMapping("/favicon.ico")
    ResponseEntity<Resource> favicon() {
        for (String location : theme.staticLocations()) {
            for (Icon icon : ICONS) {
                Resource file = resources.getResource(location + icon.file());
                if (file.isReadable()) {
                    return ResponseEntity.ok().contentType(icon.type())
                            .cacheControl(CacheControl.maxAge(Duration.ofHours(1))).body(file);
                }
            }
        }
        return ResponseEntity.notFound().build();
    }

    private record Icon(String file, MediaType type) {
    }
}
