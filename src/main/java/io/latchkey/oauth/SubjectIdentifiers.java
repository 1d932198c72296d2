package io.latchkey.oauth;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

import io.latchkey.client.ClientPolicies;
import io.latchkey.oauth.pairwise.PairwiseSubjects;

/**
 * The {@code sub} a client sees for a user in ID tokens and at userinfo (OpenID Connect Core 8): the internal
 * subject for a client with public subjects, a pairwise identifier for a client with
 * {@code subject-type: pairwise}. Access tokens for Latchkey's own API always keep the internal subject.
 */
@Component
public class SubjectIdentifiers {

    private final PairwiseSubjects pairwise;

    SubjectIdentifiers(PairwiseSubjects pairwise) {
        this.pairwise = pairwise;
    }

    /** The subject identifier of the user with {@code internalSubject}, as the client sees it. */
    public String forClient(RegisteredClient client, String internalSubject) {
        return ClientPolicies.hasPairwiseSubjects(client) ? pairwise.of(client, internalSubject) : internalSubject;
    }
}
