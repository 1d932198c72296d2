package io.latchkey.oauth;

import jakarta.servlet.Filter;

import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

import io.latchkey.oauth.dpop.Dpop;

/**
 * For a resource server chain of this application (the API): honours DPoP-bound access tokens (RFC 9449
 * section 7) with the same proof checks, replay cache and nonces as the token endpoint and userinfo. Add the
 * filter before the Bearer token filter.
 */
@Component
public class ResourceServerProofs {

    private final Dpop dpop;

    ResourceServerProofs(Dpop dpop) {
        this.dpop = dpop;
    }

    public Filter filter(RequestMatcher resources) {
        return dpop.resourceProofs(resources);
    }
}
