package io.latchkey.client;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

@Configuration(proxyBeanMethods = false)
class ClientConfiguration {

    @Bean
    ClientChangeNotifications clientChangeNotifications(DataSource dataSource) {
        return new ClientChangeNotifications(dataSource);
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(JdbcOperations jdbc, ClientChangeNotifications notifications,
            Clock clock) {
        return new CachingRegisteredClientRepository(new EnabledClients(new JdbcRegisteredClientRepository(jdbc)),
                notifications, clock);
    }
}
