package io.latchkey.passkey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.jackson.WebauthnJacksonModule;
import org.springframework.security.web.webauthn.management.ImmutableRelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyPublicKey;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.security.web.webauthn.registration.PublicKeyCredentialCreationOptionsFilter;
import org.springframework.security.web.webauthn.registration.PublicKeyCredentialCreationOptionsRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import io.latchkey.http.ReadAheadBody;

/**
 * The passkey JSON endpoints' own rules, in front of Spring Security's filters, each answering with a JSON error
 * ({@code {"error": code}}) the page script turns into words:
 * <ul>
 * <li>{@code POST /webauthn/register/options}: only for a signed-in user whose sign-in is recent; makes the
 * account's user handle, then Spring Security's filter answers with the creation options (kept in the session).</li>
 * <li>{@code POST /webauthn/register}: the same user, a named passkey, the options of this session (used once), a
 * valid attestation; only then is anything stored, and the owner told.</li>
 * <li>{@code DELETE /webauthn/register/{id}} (Spring Security's own) is not offered: passkeys are removed on the
 * account page, where the last passkey of a passwordless account stays.</li>
 * <li>{@code POST /login/webauthn}: a body of bounded size that is JSON, before Spring Security reads it.</li>
 * </ul>
 */
final class PasskeyEndpoints extends OncePerRequestFilter {

    /**
     * Far above a real credential (a few kilobytes with attestation), far below anything that costs memory; a body
     * above {@code latchkey.http.max-request-body} never gets here (a JSON 413 from {@code io.latchkey.http}).
     */
    static final int MAX_BODY_BYTES = 32 * 1024;

    private static final RequestMatcher REGISTRATION_OPTIONS = PathPatternRequestMatcher.withDefaults()
            .matcher(HttpMethod.POST, "/webauthn/register/options");
    private static final RequestMatcher REGISTRATION = PathPatternRequestMatcher.withDefaults()
            .matcher(HttpMethod.POST, "/webauthn/register");
    private static final RequestMatcher SPRING_REMOVAL = PathPatternRequestMatcher.withDefaults()
            .matcher(HttpMethod.DELETE, "/webauthn/register/**");
    private static final RequestMatcher SIGN_IN = PathPatternRequestMatcher.withDefaults()
            .matcher(HttpMethod.POST, "/login/webauthn");

    private final JsonMapper json = JsonMapper.builder().addModule(new WebauthnJacksonModule()).build();
    private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();
    private final PublicKeyCredentialCreationOptionsRepository creationOptions = new CreationOptionsInSession();
    private final PublicKeyCredentialCreationOptionsFilter springCreationOptions;
    private final WebAuthnRelyingPartyOperations relyingParty;
    private final PasskeyUserEntities userEntities;
    private final PasskeyService passkeys;

    PasskeyEndpoints(WebAuthnRelyingPartyOperations relyingParty, PasskeyUserEntities userEntities,
            PasskeyService passkeys) {
        this.relyingParty = relyingParty;
        this.userEntities = userEntities;
        this.passkeys = passkeys;
        this.springCreationOptions = new PublicKeyCredentialCreationOptionsFilter(relyingParty);
        this.springCreationOptions.setCreationOptionsRepository(creationOptions);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (REGISTRATION_OPTIONS.matches(request)) {
            Optional<UUID> user = recentlySignedInUser(response);
            if (user.isPresent()) {
                userEntities.ensure(user.get());
                springCreationOptions.doFilter(request, response, chain);
            }
        }
        else if (REGISTRATION.matches(request)) {
            Optional<UUID> user = recentlySignedInUser(response);
            if (user.isPresent()) {
                register(user.get(), request, response);
            }
        }
        else if (SPRING_REMOVAL.matches(request)) {
            PasskeyJson.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "use_account_page");
        }
        else if (SIGN_IN.matches(request)) {
            Optional<byte[]> body = readJson(request, response);
            if (body.isPresent()) {
                chain.doFilter(new ReadAheadBody(request, body.get()), response);
            }
        }
        else {
            chain.doFilter(request, response);
        }
    }

    private Optional<UUID> recentlySignedInUser(HttpServletResponse response) throws IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!trust.isAuthenticated(authentication)) {
            PasskeyJson.error(response, HttpServletResponse.SC_UNAUTHORIZED, "not_signed_in");
            return Optional.empty();
        }
        Optional<UUID> user = PasskeyService.userId(authentication.getName());
        if (user.isEmpty()) {
            PasskeyJson.error(response, HttpServletResponse.SC_FORBIDDEN, "not_a_user");
            return Optional.empty();
        }
        if (!passkeys.recentlySignedIn(authentication)) {
            PasskeyJson.error(response, HttpServletResponse.SC_FORBIDDEN, "sign_in_again");
            return Optional.empty();
        }
        return user;
    }

    private void register(UUID userId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<byte[]> body = readJson(request, response);
        if (body.isEmpty()) {
            return;
        }
        JsonNode publicKey = json.readTree(body.get()).get("publicKey");
        if (publicKey == null || !publicKey.isObject()) {
            PasskeyJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "malformed_credential");
            return;
        }
        JsonNode label = publicKey.get("label");
        Optional<String> name = label != null && label.isString() ? PasskeyService.acceptableName(label.asString())
                : Optional.empty();
        if (name.isEmpty()) {
            PasskeyJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_name");
            return;
        }
        RelyingPartyPublicKey credential;
        try {
            credential = json.treeToValue(publicKey, RelyingPartyPublicKey.class);
        }
        catch (JacksonException | IllegalArgumentException malformed) {
            PasskeyJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "malformed_credential");
            return;
        }
        // the challenge of this session, used at most once: a replayed or late answer finds none
        PublicKeyCredentialCreationOptions options = creationOptions.load(request);
        creationOptions.save(request, response, null);
        if (options == null || credential == null || credential.getCredential() == null
                || !userEntities.handleOf(userId).map(options.getUser().getId()::equals).orElse(false)) {
            PasskeyJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "no_registration_in_progress");
            return;
        }
        try {
            relyingParty.registerCredential(new ImmutableRelyingPartyRegistrationRequest(options,
                    new RelyingPartyPublicKey(credential.getCredential(), name.get())));
        }
        catch (DataAccessException databaseTrouble) {
            throw databaseTrouble;
        }
        catch (RuntimeException refused) {
            logger.debug("Passkey registration refused", refused);
            PasskeyJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "credential_not_accepted");
            return;
        }
        passkeys.registered(userId, name.get());
        PasskeyJson.write(response, HttpServletResponse.SC_OK, "{\"success\":true}");
    }

    /** The body, when it is at most {@link #MAX_BODY_BYTES} of JSON; otherwise the error is sent. */
    private Optional<byte[]> readJson(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            PasskeyJson.error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "too_large");
            return Optional.empty();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            PasskeyJson.error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "too_large");
            return Optional.empty();
        }
        try {
            JsonNode tree = json.readTree(body);
            if (tree == null || !tree.isObject()) {
                PasskeyJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "malformed_json");
                return Optional.empty();
            }
        }
        catch (JacksonException malformed) {
            PasskeyJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "malformed_json");
            return Optional.empty();
        }
        return Optional.of(body);
    }
}
