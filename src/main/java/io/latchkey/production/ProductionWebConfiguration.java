package io.latchkey.production;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.latchkey.runtime.RuntimeMode;

/** What production mode adds to every response. */
@Configuration(proxyBeanMethods = false)
class ProductionWebConfiguration {

    /** First of all filters, on every dispatch, so that error pages and early refusals carry it too. */
    @Bean
    FilterRegistrationBean<StrictTransportSecurity> strictTransportSecurityFilter(RuntimeMode mode) {
        FilterRegistrationBean<StrictTransportSecurity> registration =
                new FilterRegistrationBean<>(new StrictTransportSecurity());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.ASYNC,
                DispatcherType.FORWARD, DispatcherType.INCLUDE);
        registration.setEnabled(mode.isProduction());
        return registration;
    }
}
