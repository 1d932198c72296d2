package io.latchkey.http;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires client-IP resolution: the client IP that every component downstream sees, and the scheme and host that
 * trusted proxies forward.
 */
@Configuration(proxyBeanMethods = false)
class ClientAddressConfiguration {

    /** Before Spring's request context filter (order -105), so that everything downstream sees the client IP. */
    @Bean
    FilterRegistrationBean<ResolvedClientAddress> resolvedClientAddressFilter(ClientAddresses addresses) {
        FilterRegistrationBean<ResolvedClientAddress> registration =
                new FilterRegistrationBean<>(new ResolvedClientAddress(addresses));
        registration.setOrder(-110);
        return registration;
    }

    /**
     * The scheme, host, port and client IP that trusted proxies forward, at the container's level (see
     * {@link TrustedProxyHeaders}); without trusted proxies no forwarded header is believed at all.
     */
    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> trustedProxyHeaders(ClientAddresses addresses) {
        return factory -> {
            if (!addresses.trustedProxies().isEmpty()) {
                factory.addEngineValves(new TrustedProxyHeaders(addresses));
            }
        };
    }
}
