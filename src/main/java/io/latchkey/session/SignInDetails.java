package io.latchkey.session;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.stereotype.Component;

import io.latchkey.http.ClientAddresses;

/**
 * Notes in the new session what the account page shows of it: the device, the client IP and the time of the
 * sign-in.
 */
@Component
public class SignInDetails {

    static final String BROWSER = "latchkey.session.browser";
    static final String SYSTEM = "latchkey.session.system";
    static final String IP = "latchkey.session.ip";
    static final String SIGNED_IN_AT = "latchkey.session.signedInAt";

    private final ClientAddresses addresses;
    private final UserAgents userAgents;
    private final java.time.Clock clock;

    SignInDetails(ClientAddresses addresses, UserAgents userAgents, java.time.Clock clock) {
        this.addresses = addresses;
        this.userAgents = userAgents;
        this.clock = clock;
    }

    /** The given success handler, after noting the sign-in's details in the session. */
    public AuthenticationSuccessHandler recording(AuthenticationSuccessHandler next) {
        return new AuthenticationSuccessHandler() {
            @Override
            public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                    Authentication authentication) throws IOException, ServletException {
                record(request);
                next.onAuthenticationSuccess(request, response, authentication);
            }
        };
    }

    void record(HttpServletRequest request) {
        HttpSession session = request.getSession();
        DeviceSummary device = userAgents.describe(request.getHeader("User-Agent"));
        session.setAttribute(BROWSER, device.browser());
        session.setAttribute(SYSTEM, device.system());
        session.setAttribute(IP, addresses.clientIp(request));
        session.setAttribute(SIGNED_IN_AT, clock.millis());
    }
}
