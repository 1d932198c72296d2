package io.latchkey.oauth.authorize;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * Not an error for the client: the signed-in user must add a second factor to the session (or enrol one) first;
 * {@link AuthorizationResponder} saves the request and sends the browser to {@link #page()}, which continues
 * with the saved request when done.
 */
final class StepUpRequiredException extends OAuth2AuthorizationCodeRequestAuthenticationException {

    /** The code page: adds a factor to the session of a signed-in user. */
    static final String SECOND_FACTOR_PAGE = "/login/second-factor";
    /** The enrolment page: sets up a second factor. */
    static final String ENROLMENT_PAGE = "/account/second-factor";

    private final String page;

    StepUpRequiredException(String page, OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        super(new OAuth2Error("interaction_required", "A stronger sign-in is needed", null), request);
        this.page = page;
    }

    String page() {
        return page;
    }
}
