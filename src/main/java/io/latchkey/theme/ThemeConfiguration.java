package io.latchkey.theme;

import java.time.Duration;

import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.AbstractConfigurableTemplateResolver;
import org.thymeleaf.templateresolver.ITemplateResolver;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The hosted pages read their templates and static files through the configured {@link Theme}: each file
 * the theme has overrides the default theme's file of the same name; every other file comes from the
 * default theme packaged with Latchkey.
 */
@Configuration(proxyBeanMethods = false)
class ThemeConfiguration implements WebMvcConfigurer {

    private final Theme theme;

    ThemeConfiguration(Theme theme) {
        this.theme = theme;
    }

    @Bean
    ITemplateResolver themeTemplateResolver() {
        return pages(theme.themeTemplateResolver(), 1);
    }

    @Bean
    ITemplateResolver defaultTemplateResolver() {
        return pages(theme.defaultTemplateResolver(), 2);
    }

    private static ITemplateResolver pages(AbstractConfigurableTemplateResolver resolver, int order) {
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setOrder(order);
        return resolver;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/static/**")
                .addResourceLocations(theme.staticLocations())
                .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)));
    }
}
