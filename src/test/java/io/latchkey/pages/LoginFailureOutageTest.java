package io.latchkey.pages;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;

import io.latchkey.database.DatabaseUnavailableException;
import io.latchkey.mfa.PendingSecondStep;
import io.latchkey.runtime.ProductionCookies;
import io.latchkey.runtime.RuntimeMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A sign-in whose account could not be read because the database is unreachable is not a failed sign-in: it is
 * left to the outage filter (503), never answered "wrong email or password".
 */
class LoginFailureOutageTest {

    private final LoginFailureRedirects redirects = new LoginFailureRedirects(
            new KeptLoginEmail(new ProductionCookies(new RuntimeMode(new MockEnvironment()))),
            new PendingSecondStep(java.time.Clock.systemUTC()));

    @Test
    void aLostDatabaseIsNotAWrongPassword() {
        InternalAuthenticationServiceException unreadable = new InternalAuthenticationServiceException("lookup failed",
                new CannotGetJdbcConnectionException("no connection", new SQLException("Connection refused", "08001")));
        assertThatThrownBy(() -> redirects.onAuthenticationFailure(new MockHttpServletRequest("POST", "/login"),
                new MockHttpServletResponse(), unreadable)).isInstanceOf(DatabaseUnavailableException.class);
    }

    @Test
    void aWrongPasswordStillGoesBackToTheForm() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        redirects.onAuthenticationFailure(new MockHttpServletRequest("POST", "/login"), response,
                new BadCredentialsException("wrong"));
        assertThat(response.getRedirectedUrl()).endsWith("/login?error");
    }
}
