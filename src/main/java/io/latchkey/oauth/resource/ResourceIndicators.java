package io.latchkey.oauth.resource;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.stereotype.Component;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientExtensions;
import io.latchkey.oauth.TokenAudience;

/**
 * The resources (RFC 8707) a client may ask a token for: Latchkey's own API ({@link TokenAudience#api()}) and each
 * enabled client that declares a resource indicator ({@code ClientPolicies.resourceIndicator}). A {@code resource}
 * value must be an absolute URI without a fragment (RFC 8707 section 2) naming one of them; anything else is
 * {@value #INVALID_TARGET}.
 */
@Component
public class ResourceIndicators {

    public static final String INVALID_TARGET = "invalid_target";
    public static final String PARAMETER = "resource";
    /** More than this many resources in one request is refused rather than looked up. */
    static final int MAX_RESOURCES = 5;
    private static final String RFC_8707 = "https://www.rfc-editor.org/rfc/rfc8707#section-2";

    private final TokenAudience audience;
    private final ClientAdministration clients;

    ResourceIndicators(TokenAudience audience, ClientAdministration clients) {
        this.audience = audience;
        this.clients = clients;
    }

    /**
     * The resources a request names in its {@code resource} parameter (a string, an array or a collection of
     * them, as the framework's converters keep parameters), checked; empty when it names none.
     *
     * @throws OAuth2AuthenticationException {@value #INVALID_TARGET} for a malformed or unknown one
     */
    public Set<String> requested(Object parameter) {
        Set<String> values = valuesOf(parameter);
        if (values.size() > MAX_RESOURCES) {
            throw invalidTarget("at most " + MAX_RESOURCES + " resources per request");
        }
        for (String value : values) {
            if (!isWellFormed(value)) {
                throw invalidTarget("resource must be an absolute URI without a fragment");
            }
            if (!isKnown(value)) {
                throw invalidTarget("resource is not known to this server");
            }
        }
        return values;
    }

    /** Whether the value is a resource Latchkey issues tokens for. */
    public boolean isKnown(String resource) {
        return audience.api().equals(resource) || clients.clientWithResourceIndicator(resource).isPresent();
    }

    /** An absolute URI without a fragment, of printable ASCII and of a length a client setting can hold. */
    public static boolean isWellFormed(String value) {
        if (value == null || value.isEmpty() || value.length() > ClientExtensions.MAX_URI_LENGTH
                || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return false;
        }
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && uri.getRawFragment() == null && value.indexOf('#') < 0;
        }
        catch (URISyntaxException ex) {
            return false;
        }
    }

    public static OAuth2AuthenticationException invalidTarget(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(INVALID_TARGET, description, RFC_8707));
    }

    /**
     * The values of a parameter as the framework keeps it: a string, an array or a collection (nested, as a stored
     * authorization request may give it back).
     */
    static Set<String> valuesOf(Object parameter) {
        Set<String> values = new LinkedHashSet<>();
        addValues(parameter, values);
        return values;
    }

    private static void addValues(Object parameter, Set<String> values) {
        if (parameter instanceof String single) {
            values.add(single);
        }
        else if (parameter instanceof Object[] many) {
            for (Object value : many) {
                addValues(value, values);
            }
        }
        else if (parameter instanceof Collection<?> many) {
            for (Object value : many) {
                addValues(value, values);
            }
        }
    }
}
