package io.latchkey.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.thymeleaf.spring6.templateresolver.SpringResourceTemplateResolver;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.FileTemplateResolver;
import org.thymeleaf.templateresolver.ITemplateResolver;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Themes: a theme is a folder {@code <latchkey.themes-dir>/<latchkey.theme>} with {@code templates/} and
 * {@code static/}. Each file it has overrides the default theme's file of the same name; every other
 * file comes from the default theme packaged with Latchkey.
 */
@Configuration(proxyBeanMethods = false)
class ThemeConfiguration implements WebMvcConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ThemeConfiguration.class);
    static final String DEFAULT_THEME_LOCATION = "classpath:/theme-default/";

    private final Path themeDir;

    ThemeConfiguration(@Value("${latchkey.themes-dir:./themes}") String themesDir,
            @Value("${latchkey.theme:default}") String theme) {
        if (!theme.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalStateException("latchkey.theme must be a folder name (letters, digits, - and _)");
        }
        this.themeDir = Path.of(themesDir, theme).toAbsolutePath().normalize();
        if (!"default".equals(theme) && !Files.isDirectory(themeDir)) {
            throw new IllegalStateException("Theme folder " + themeDir + " does not exist (latchkey.theme=" + theme + ")");
        }
    }

    @Bean
    ITemplateResolver themeTemplateResolver() {
        FileTemplateResolver resolver = new FileTemplateResolver();
        resolver.setPrefix(themeDir.resolve("templates") + "/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCheckExistence(true);
        resolver.setCacheable(true);
        resolver.setOrder(1);
        if (Files.isDirectory(themeDir)) {
            log.info("Theme files are read from {} first", themeDir);
        }
        return resolver;
    }

    @Bean
    SpringResourceTemplateResolver defaultTemplateResolver() {
        SpringResourceTemplateResolver resolver = new SpringResourceTemplateResolver();
        resolver.setPrefix(DEFAULT_THEME_LOCATION + "templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCheckExistence(true);
        resolver.setOrder(2);
        return resolver;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/static/**")
                .addResourceLocations("file:" + themeDir.resolve("static") + "/", DEFAULT_THEME_LOCATION + "static/")
                .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)));
    }
}
