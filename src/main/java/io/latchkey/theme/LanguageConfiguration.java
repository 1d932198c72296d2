package io.latchkey.theme;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

import io.latchkey.runtime.ProductionCookies;

/**
 * Page language: the one chosen with the switcher ({@code ?lang=de}, kept in a cookie), otherwise the
 * best match for the browser's Accept-Language among the languages Latchkey has. The cookie is
 * {@code __Host-latchkey-lang} and Secure in production ({@link ProductionCookies}).
 */
@Configuration(proxyBeanMethods = false)
class LanguageConfiguration implements WebMvcConfigurer {

    static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.GERMAN);

    static final String COOKIE = "latchkey-lang";

    @Bean
    LocaleResolver localeResolver(ProductionCookies cookies) {
        CookieLocaleResolver resolver = new CookieLocaleResolver(cookies.name(COOKIE));
        resolver.setDefaultLocaleFunction(request -> {
            for (var range : java.util.Collections.list(request.getLocales())) {
                for (Locale supported : SUPPORTED) {
                    if (supported.getLanguage().equals(range.getLanguage())) {
                        return supported;
                    }
                }
            }
            return Locale.ENGLISH;
        });
        resolver.setCookieMaxAge(Duration.ofDays(365));
        resolver.setCookieHttpOnly(true);
        resolver.setCookieSameSite("Lax");
        // host-only (no domain) on path "/", as the __Host- prefix of production requires
        resolver.setCookiePath("/");
        resolver.setCookieSecure(cookies.secure(false));
        // a garbled language cookie is the browser's (or someone's) mistake: fall back as if there were none
        resolver.setRejectInvalidCookies(false);
        return resolver;
    }

    /**
     * The language asked for with {@code ?lang=} (or an application's {@code ui_locales}) applied before the security
     * filters, whose redirects (to the login page, back after signing in) never reach the page's own interceptor.
     */
    @Bean
    FilterRegistrationBean<RequestedLanguage> requestedLanguageFilter(LocaleResolver localeResolver,
            ProductionCookies cookies) {
        FilterRegistrationBean<RequestedLanguage> registration = new FilterRegistrationBean<>(
                new RequestedLanguage(localeResolver, cookies.name(COOKIE)));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor interceptor = new LocaleChangeInterceptor();
        interceptor.setParamName("lang");
        interceptor.setIgnoreInvalidLocale(true);
        registry.addInterceptor(interceptor);
    }
}
