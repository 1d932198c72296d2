package io.latchkey.oauth.refresh;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import io.latchkey.tokens.AuthorizationStore;

/**
 * The authorization store as the authorization server and the first-party API use it: every lookup of a token
 * that turns out to be a refresh token replaced by rotation applies {@link RefreshTokenReuse}. A refresh token is
 * presented at the token endpoint, but also at revocation and introspection, which look it up the same way.
 */
final class ReuseDetectingAuthorizationService implements OAuth2AuthorizationService {

    private final AuthorizationStore store;
    private final RefreshTokenReuse reuse;

    ReuseDetectingAuthorizationService(AuthorizationStore store, RefreshTokenReuse reuse) {
        this.store = store;
        this.reuse = reuse;
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        AuthorizationStore.TokenLookup lookup = store.lookUp(token, tokenType);
        if (lookup.retiredRefreshToken() != null) {
            reuse.presentedAgain(lookup.retiredRefreshToken());
        }
        return lookup.current();
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        store.save(authorization);
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        store.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return store.findById(id);
    }
}
