package io.latchkey.theme;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.thymeleaf.templateresolver.AbstractConfigurableTemplateResolver;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.thymeleaf.templateresolver.FileTemplateResolver;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The configured theme: a folder {@code <latchkey.themes-dir>/<latchkey.theme>} with {@code templates/} and
 * {@code static/}. Each file it has overrides the default theme's file of the same name; every other file
 * comes from the default theme packaged with Latchkey (classpath {@code theme-default/}). The hosted pages
 * and the account mail both read their templates through this chain.
 */
@Component
@EnableConfigurationProperties(ThemeSettings.class)
public final class Theme {

    private static final Logger log = LoggerFactory.getLogger(Theme.class);

    /** Where the packaged default theme lives, as a Spring resource location. */
    public static final String DEFAULT_THEME_LOCATION = "classpath:/theme-default/";
    private static final String DEFAULT_THEME_CLASSPATH = "theme-default/";

    private final String name;
    private final Path dir;

    @Autowired
    Theme(ThemeSettings settings) {
        this(settings.themesDir(), settings.theme());
    }

    public Theme(String themesDir, String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalStateException("latchkey.theme must be a folder name (letters, digits, - and _)");
        }
        this.name = name;
        this.dir = Path.of(themesDir, name).toAbsolutePath().normalize();
        if (!"default".equals(name) && !Files.isDirectory(dir)) {
            throw new IllegalStateException("Theme folder " + dir + " does not exist (latchkey.theme=" + name + ")");
        }
        if (Files.isDirectory(dir)) {
            log.info("Theme files are read from {} first", dir);
        }
    }

    public String name() {
        return name;
    }

    /** The theme's own folder. It may be missing for the default theme, which is then read from the classpath. */
    public Path dir() {
        return dir;
    }

    /** The static file locations, theme first, as Spring resource locations. */
    public String[] staticLocations() {
        return new String[] { "file:" + dir.resolve("static") + "/", DEFAULT_THEME_LOCATION + "static/" };
    }

    /**
     * A resolver for templates in the theme's own {@code templates/} folder. It resolves only files that
     * exist, so that a resolver of the packaged default theme can follow it. The caller sets the suffix,
     * template mode and order.
     */
    public FileTemplateResolver themeTemplateResolver() {
        return configure(new FileTemplateResolver(), dir.resolve("templates") + "/");
    }

    /**
     * A resolver for templates of the packaged default theme, to come after {@link #themeTemplateResolver()}.
     * The caller sets the suffix, template mode and order.
     */
    public ClassLoaderTemplateResolver defaultTemplateResolver() {
        return configure(new ClassLoaderTemplateResolver(Theme.class.getClassLoader()),
                DEFAULT_THEME_CLASSPATH + "templates/");
    }

    private static <R extends AbstractConfigurableTemplateResolver> R configure(R resolver, String prefix) {
        resolver.setPrefix(prefix);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCheckExistence(true);
        resolver.setCacheable(true);
        return resolver;
    }
}
