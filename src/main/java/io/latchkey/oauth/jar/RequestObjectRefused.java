package io.latchkey.oauth.jar;

/** A request object (or a request_uri) refused; code and description are safe to show to the client. */
final class RequestObjectRefused extends RuntimeException {

    static final String INVALID_REQUEST_OBJECT = "invalid_request_object";
    static final String INVALID_REQUEST_URI = "invalid_request_uri";
    static final String INVALID_REQUEST = "invalid_request";

    private final String code;

    RequestObjectRefused(String code, String description) {
        super(description, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
