package io.latchkey.account;

import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetailsChecker;
import org.springframework.security.crypto.password.PasswordEncoder;

/** How a user signs in with a password, and what must hold after the password was right. */
@Configuration(proxyBeanMethods = false)
class AccountAuthentication {

    @Bean
    DaoAuthenticationProvider passwordAuthenticationProvider(AccountUserDetailsService users, PasswordEncoder passwordEncoder,
            UserRepository repository, RegistrationSettings settings) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(passwordEncoder);
        provider.setUserDetailsPasswordService(users);
        // The account's status (locked, also temporarily after failed sign-ins, or disabled) is checked only
        // after the password, so that every refusal costs one password check and takes the same time; each
        // one ends on the same "wrong email or password" page (LoginFailureRedirects).
        provider.setPreAuthenticationChecks(user -> {
        });
        AccountStatusUserDetailsChecker status = new AccountStatusUserDetailsChecker();
        UserDetailsChecker verified = verifiedEmailCheck(repository, settings);
        provider.setPostAuthenticationChecks(user -> {
            status.check(user);
            verified.check(user);
        });
        return provider;
    }

    /**
     * Runs only after the password proved right, so it tells nothing to someone guessing. A successful
     * password reset also verifies the address, since the reset link went to it.
     */
    static UserDetailsChecker verifiedEmailCheck(UserRepository repository, RegistrationSettings settings) {
        return user -> {
            if (!settings.requireVerifiedEmail()) {
                return;
            }
            boolean verified = repository.findById(UUID.fromString(user.getUsername()))
                    .map(stored -> stored.account().emailVerified()).orElse(false);
            if (!verified) {
                throw new EmailNotVerifiedException();
            }
        };
    }

    /** Mail and link work that must not delay (or time) the answer to the user. */
    @Bean(destroyMethod = "shutdown")
    ExecutorService accountBackgroundWork() {
        return new ThreadPoolExecutor(1, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000),
                runnable -> {
                    Thread thread = new Thread(runnable, "latchkey-account-mail");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.DiscardOldestPolicy());
    }
}
