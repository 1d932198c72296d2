package io.latchkey.http;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request as the filters after it should read it: with these parameters in place of those it arrived with (a
 * client id taken from a client assertion, the parameters of a request object). Everything that reads parameters
 * through the servlet API sees only these.
 */
public class RequestWithParameters extends HttpServletRequestWrapper {

    private final Map<String, String[]> parameters;

    public RequestWithParameters(HttpServletRequest request, Map<String, String[]> parameters) {
        super(request);
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The request with one parameter added or replaced. */
    public static RequestWithParameters with(HttpServletRequest request, String name, String value) {
        Map<String, String[]> all = new LinkedHashMap<>(request.getParameterMap());
        all.put(name, new String[] { value });
        return new RequestWithParameters(request, all);
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters.keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = parameters.get(name);
        return values == null ? null : values.clone();
    }
}
