package io.latchkey.support;

import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Base of the {@link IntegrationTest}s that make their own users in the database and look at what the server
 * stored: the server's {@link JdbcTemplate} and {@link PasswordEncoder}, and a verified user in one call.
 */
public abstract class UsersInDatabaseTest {

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected PasswordEncoder passwordEncoder;

    /** A new verified user with the role "user" and no name ({@link TestUsers#create}); its id. */
    protected UUID createUser(String email, String password) {
        return TestUsers.create(jdbc, passwordEncoder, email, password, null);
    }
}
