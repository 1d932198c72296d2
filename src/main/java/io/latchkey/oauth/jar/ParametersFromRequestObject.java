package io.latchkey.oauth.jar;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.util.UriUtils;

import io.latchkey.http.RequestWithParameters;

/**
 * The request with the request object's parameters in place of those it arrived with (RFC 9101 section 6.3), so
 * that everything after it, the framework and every check of the authorization endpoint, reads those and only
 * those. For a GET the query string is rebuilt from them as well: the framework tells query parameters from form
 * parameters by the query string, and a request saved while the user signs in is resumed from it.
 */
final class ParametersFromRequestObject extends RequestWithParameters {

    private final String queryString;

    ParametersFromRequestObject(HttpServletRequest request, Map<String, String[]> parameters) {
        super(request, parameters);
        this.queryString = "GET".equals(request.getMethod()) ? encode(parameters) : null;
    }

    @Override
    public String getQueryString() {
        return queryString;
    }

    private static String encode(Map<String, String[]> parameters) {
        StringJoiner query = new StringJoiner("&");
        parameters.forEach((name, values) -> {
            for (String value : values) {
                query.add(UriUtils.encodeQueryParam(name, StandardCharsets.UTF_8) + "="
                        + UriUtils.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }
}
