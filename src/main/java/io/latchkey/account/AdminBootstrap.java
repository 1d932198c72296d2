package io.latchkey.account;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.MessageSource;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionOperations;

import io.latchkey.runtime.RuntimeMode;
import io.latchkey.runtime.StartupSummary;

/**
 * Creates the first administrator when no user holds the admin role. The password comes from
 * {@code LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD}, and must meet the {@link PasswordPolicy} like every other
 * password: start-up stops and says why if it does not, whether or not an administrator exists yet. In
 * evaluation mode it may be generated instead and is then shown once in the startup summary (standard
 * output, not the log) and never again; that administrator must then choose a new password at the first
 * sign-in ({@link PasswordChangeRequired}), and every later start says in the log how to recover a lost one.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    static final String ADMIN_ROLE = "admin";

    private final UserRepository users;
    private final PasswordEncoder passwordEncoder;
    private final RuntimeMode mode;
    private final StartupSummary summary;
    private final String email;
    private final String password;
    private final TransactionOperations transactions;

    @Autowired
    AdminBootstrap(UserRepository users, PasswordEncoder passwordEncoder, PasswordPolicy policy, MessageSource messages,
            RuntimeMode mode, StartupSummary summary, TransactionOperations transactions,
            BootstrapProperties bootstrap) {
        this(users, passwordEncoder, policy, messages, mode, summary, transactions, bootstrap.adminEmail(),
                bootstrap.adminPassword());
    }

    AdminBootstrap(UserRepository users, PasswordEncoder passwordEncoder, PasswordPolicy policy, MessageSource messages,
            RuntimeMode mode, StartupSummary summary, TransactionOperations transactions, String email, String password) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.mode = mode;
        this.summary = summary;
        this.email = email;
        this.password = password;
        this.transactions = transactions;
        if (password != null && !password.isBlank()) {
            policy.violation(password, email).ifPresent(violation -> {
                throw new IllegalStateException("latchkey.bootstrap.admin-password: "
                        + messages.getMessage(violation, null, violation, Locale.ENGLISH));
            });
        }
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.anyUserHasRole(ADMIN_ROLE)) {
            if ((password == null || password.isBlank()) && mode.isEmbedded()) {
                // the generated password was shown once, at the first start; it is never shown again
                log.info("The first administrator exists. Its generated password was shown once, at the first start. "
                        + "Lost it? Use \"Forgot password?\" on the sign-in page (/forgot-password) with {}: in "
                        + "evaluation mode the mail with the reset link is written to this log.", email);
            }
            return;
        }
        if (users.findByEmail(email).isPresent()) {
            log.warn("No administrator exists and {} is already taken by a user; not creating one", email);
            return;
        }
        String chosen = password;
        boolean generated = false;
        if (chosen == null || chosen.isBlank()) {
            if (!mode.isEmbedded()) {
                log.warn("No administrator exists. Set LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD (and optionally "
                        + "LATCHKEY_BOOTSTRAP_ADMIN_EMAIL) and restart to create one.");
                return;
            }
            chosen = generatePassword();
            generated = true;
        }
        String hash = passwordEncoder.encode(chosen); // hashed before the transaction takes a connection
        boolean generatedPassword = generated;
        UUID id = UUID.randomUUID();
        try {
            transactions.executeWithoutResult(status -> {
                users.insert(id, email, true, "Administrator", hash);
                users.grantRole(id, ADMIN_ROLE);
                users.grantRole(id, "user");
                if (generatedPassword) {
                    // a password printed to a console is replaced at the first sign-in (PasswordChangeRequired)
                    users.requirePasswordChange(id);
                }
            });
        }
        catch (DuplicateKeyException anotherInstanceWasFaster) {
            // several instances starting at once on a new database: one creates the administrator (unique email)
            log.info("The first administrator {} was created by another instance", email);
            return;
        }
        log.info("Created the first administrator {}", email);
        summary.add("Admin user: " + email);
        if (generated) {
            summary.add("Admin password (shown once; you choose a new one at the first sign-in): " + chosen);
        }
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
