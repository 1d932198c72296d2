package io.latchkey.session;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Browser sessions in the database (Spring Session JDBC; the tables come from Flyway, V60). Spring Boot's own
 * JDBC session setup stands back because {@link SharedSessions} is the session repository; Boot still supplies
 * the cookie (server.servlet.session.cookie.*) and registers the session filter.
 */
@Configuration(proxyBeanMethods = false)
@EnableSpringHttpSession
class SessionStoreConfiguration {

    @Bean
    @SuppressWarnings({ "unchecked", "rawtypes" })
    SharedSessions sessionRepository(JdbcOperations jdbc, PlatformTransactionManager transactions,
            ApplicationEventPublisher events, SessionProperties lifetimes, Clock clock) {
        // joins the caller's transaction, so a request never holds two connections for its session
        JdbcIndexedSessionRepository store = new JdbcIndexedSessionRepository(jdbc, new TransactionTemplate(transactions));
        store.setDefaultMaxInactiveInterval(lifetimes.idleTimeout());
        store.setCleanupCron(Scheduled.CRON_DISABLED); // ExpiredSessionPurge does it, on Latchkey's scheduler
        GenericConversionService conversions = new GenericConversionService();
        ClassLoader classLoader = SessionStoreConfiguration.class.getClassLoader();
        conversions.addConverter(Object.class, byte[].class, new SerializingConverter());
        conversions.addConverter(byte[].class, Object.class, new DeserializingConverter(classLoader));
        store.setConversionService(conversions);
        return new SharedSessions((FindByIndexNameSessionRepository) store, jdbc, events, lifetimes, clock);
    }

    /**
     * Sessions by user, across instances: the authorization server finds the session of an authorization here
     * (ID tokens' {@code sid}, end-session endpoint).
     */
    @Bean
    SessionRegistry sessionRegistry(SharedSessions sessions) {
        return new SpringSessionBackedSessionRegistry<Session>(sessions);
    }
}
