package io.latchkey.api;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * Requests the firewall rejects (encoded slashes, semicolons, null bytes in the path, ...) get 400: as
 * problem details under {@code /api/}, and as before (the error page) everywhere else.
 */
@Component
class ApiRejectedRequests implements RequestRejectedHandler {

    private final RequestRejectedHandler elsewhere = new HttpStatusRequestRejectedHandler();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException, jakarta.servlet.ServletException {
        String uri = request.getRequestURI();
        if (uri != null && uri.startsWith("/api/")) {
            ApiProblems.write(response, ApiProblems.of(HttpStatus.BAD_REQUEST, null, "The request URL is not allowed"));
            return;
        }
        elsewhere.handle(request, response, rejected);
    }
}
