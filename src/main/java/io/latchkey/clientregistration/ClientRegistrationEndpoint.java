package io.latchkey.clientregistration;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerMapping;

import io.latchkey.http.ClientAddresses;
import io.latchkey.oauth.RegistrationEndpointAddress;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitResponses;

/**
 * {@code POST /connect/register} (RFC 7591) and the client configuration endpoint
 * {@code GET/PUT/DELETE /connect/register/<client_id>} (RFC 7592). The bearer token is checked here, by
 * {@link DynamicClientRegistration}, not by URL rules ({@link ClientRegistrationSecurity} lets every request through).
 * Every answer is JSON and never cached; errors are those of RFC 7591 section 3.2.2 and RFC 6750.
 */
@RestController
@RequestMapping(RegistrationEndpointAddress.PATH)
class ClientRegistrationEndpoint {

    private final DynamicClientRegistration registration;
    private final RegistrationRequests requests;
    private final ClientAddresses addresses;

    ClientRegistrationEndpoint(DynamicClientRegistration registration, RegistrationRequests requests,
            ClientAddresses addresses) {
        this.registration = registration;
        this.requests = requests;
        this.addresses = addresses;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> register(HttpServletRequest request,
            @RequestBody(required = false) byte[] body) {
        DynamicClientRegistration.Registrant registrant = registration.registrant(BearerToken.of(request),
                addresses.clientIp(request));
        Map<String, Object> registered = registration.register(registrant, requests.read(body));
        return answer(HttpStatus.CREATED).body(registered);
    }

    @GetMapping("/{clientId}")
    ResponseEntity<Map<String, Object>> read(HttpServletRequest request, @PathVariable String clientId) {
        return answer(HttpStatus.OK).body(registration.read(clientId, BearerToken.of(request)));
    }

    @PutMapping(path = "/{clientId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> update(HttpServletRequest request, @PathVariable String clientId,
            @RequestBody(required = false) byte[] body) {
        String token = BearerToken.of(request);
        registration.authorize(clientId, token);
        return answer(HttpStatus.OK).body(registration.update(clientId, token, requests.read(body)));
    }

    @DeleteMapping("/{clientId}")
    ResponseEntity<Void> delete(HttpServletRequest request, @PathVariable String clientId) {
        registration.delete(clientId, BearerToken.of(request));
        return ResponseEntity.noContent().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache").build();
    }

    @ExceptionHandler(RegistrationError.class)
    ResponseEntity<Map<String, Object>> refused(RegistrationError error, HttpServletRequest request) {
        registration.recordRefusal(clientIdOf(request), error.error());
        ResponseEntity.BodyBuilder answer = answer(error.status());
        if (error.challenge() != null) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, error.challenge());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.error());
        body.put("error_description", error.getMessage());
        return answer.body(body);
    }

    @ExceptionHandler(RateLimitExceededException.class)
    ResponseEntity<String> limited(RateLimitExceededException limited, HttpServletRequest request) {
        registration.recordRefusal(null, "rate_limited");
        return answer(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(limited.verdict().retryAfterSeconds()))
                .body(RateLimitResponses.oauthErrorJson(limited.verdict()));
    }

    /** RFC 7591 section 3.2.1: the answers carry credentials, so nothing may keep them. */
    private static ResponseEntity.BodyBuilder answer(HttpStatus status) {
        return ResponseEntity.status(status).cacheControl(CacheControl.noStore()).header("Pragma", "no-cache")
                .contentType(MediaType.APPLICATION_JSON);
    }

    private static String clientIdOf(HttpServletRequest request) {
        return request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables
                && variables.get("clientId") instanceof String clientId ? clientId : null;
    }
}
