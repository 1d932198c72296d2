package io.latchkey.account;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.MDC;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.crypto.password.PasswordEncoder;

/** How a user signs in with a password, and what must hold after the password was right. */
@Configuration(proxyBeanMethods = false)
class AccountAuthentication {

    /** The only {@link AuthenticationProvider} bean: the hosted form login uses it, and so do the password grants. */
    @Bean
    AuthenticationProvider passwordSignIn(AccountUserDetailsService users, PasswordEncoder passwordEncoder,
            PasswordAttempts attempts, UserRepository repository, RegistrationSettings settings, SecondFactor secondFactor,
            Clock clock,
            MeterRegistry meters) {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(passwordEncoder);
        passwords.setUserDetailsPasswordService(users);
        // The account's status (disabled, locked) is checked only after the password, so that every refusal
        // costs one password check and takes the same time; each one ends on the same "wrong email or
        // password" answer. PasswordSignIn checks the rest after it.
        passwords.setPreAuthenticationChecks(user -> {
        });
        passwords.setPostAuthenticationChecks(new AccountStatusUserDetailsChecker());
        return new SignInOutcomes(new PasswordSignIn(passwords, attempts, repository, settings, secondFactor, clock), meters);
    }

    /** Mail and link work that must not delay (or time) the answer to the user. */
    @Bean(destroyMethod = "shutdown")
    ExecutorService accountBackgroundWork() {
        return new ThreadPoolExecutor(1, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000),
                runnable -> {
                    Thread thread = new Thread(runnable, "latchkey-account-mail");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.DiscardOldestPolicy()) {
            /** The request's logging context (its request id) goes along with the work it leaves behind. */
            @Override
            public void execute(Runnable work) {
                Map<String, String> logContext = MDC.getCopyOfContextMap();
                super.execute(logContext == null ? work : () -> {
                    MDC.setContextMap(logContext);
                    try {
                        work.run();
                    }
                    finally {
                        MDC.clear();
                    }
                });
            }
        };
    }
}
