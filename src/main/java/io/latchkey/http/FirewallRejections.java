package io.latchkey.http;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * Requests Spring Security's firewall rejects (an encoded slash, a semicolon or a null byte in the path, a
 * header or parameter with characters it does not allow, ...) get 400 in the endpoint's format. The firewall
 * checks headers and parameters when they are first read, so a rejection can come from deep inside a
 * request; it is answered here all the same, written directly: the error page would read the same headers.
 */
@Component
class FirewallRejections implements RequestRejectedHandler {

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        EndpointErrors.refuse(request, response, HttpStatus.BAD_REQUEST, "The request is not allowed.");
    }
}
