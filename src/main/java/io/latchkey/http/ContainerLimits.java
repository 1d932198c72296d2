package io.latchkey.http;

import org.apache.coyote.http11.AbstractHttp11Protocol;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The limits of {@link HttpLimitsProperties} that the servlet container enforces itself, because it parses
 * before any application code runs: the size of a form body (chunked ones too), the number of parameters,
 * the size of the request line and headers. Applied after Spring Boot's own {@code server.tomcat.*} settings,
 * so {@code latchkey.http.*} is the one place to set them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpLimitsProperties.class)
class ContainerLimits {

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> tomcatLimits(HttpLimitsProperties limits) {
        return factory -> factory.addConnectorCustomizers(connector -> {
            connector.setMaxPostSize((int) limits.maxRequestBody().toBytes());
            connector.setMaxParameterCount(limits.maxParameters());
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxHttpRequestHeaderSize((int) limits.maxHeaderSize().toBytes());
            }
        });
    }
}
