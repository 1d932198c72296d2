package io.latchkey.account;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.authentication.AuthenticationDetailsSource;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

import io.latchkey.keys.MasterKey;
import io.latchkey.ratelimit.RateLimitProperties;
import io.latchkey.runtime.Issuer;
import io.latchkey.runtime.ProductionCookies;

/**
 * Device cookies (OWASP's "Slow Brute Force" defence): a browser that signed in to an account before is not locked
 * out of it by wrong passwords sent from elsewhere. After each successful sign-in through the hosted form the
 * browser gets the cookie {@value #COOKIE}: a JWS (HS256, under a key derived from the current master key, whose id
 * is the JWS {@code kid}; cookies signed under a previous master key stay valid while it is configured) naming the account
 * by a keyed hash of its normalized email (never the email itself), a random device id and an expiry
 * ({@code latchkey.rate-limit.trusted-device-lifetime}). It is HttpOnly, SameSite=Lax, and Secure when the sign-in
 * came over HTTPS or the issuer is HTTPS; in production it is always Secure and named {@code __Host-latchkey_device}
 * ({@link ProductionCookies}). What a trusted device may do is decided in {@link PasswordAttempts}.
 */
@Component
public class TrustedDevices {

    static final String COOKIE = "latchkey_device";
    private static final String USERNAME = UsernamePasswordAuthenticationFilter.SPRING_SECURITY_FORM_USERNAME_KEY;
    /** Longer values are not cookies this server set. */
    private static final int MAX_COOKIE_LENGTH = 512;

    private static final String SIGNATURE_PURPOSE = "latchkey device cookie signature v1";
    private static final String ACCOUNT_PURPOSE = "latchkey device cookie account v1";

    private final MasterKey masterKey;
    private final RateLimitProperties properties;
    private final Clock clock;
    private final boolean httpsIssuer;
    private final ProductionCookies cookies;
    private final String cookieName;
    private final SecureRandom random = new SecureRandom();

    TrustedDevices(MasterKey masterKey, RateLimitProperties properties, Clock clock,
            Issuer issuer, ProductionCookies cookies) {
        this.masterKey = masterKey;
        this.properties = properties;
        this.clock = clock;
        this.httpsIssuer = issuer.isHttps();
        this.cookies = cookies;
        this.cookieName = cookies.name(COOKIE);
    }

    /** Where a password attempt in this browser request comes from: its client IP and its device cookie, if any. */
    public AttemptOrigin originOf(HttpServletRequest request) {
        return new AttemptOrigin(request.getRemoteAddr(), cookieOf(request));
    }

    /** The authentication details of a sign-in through the hosted form: what {@link #originOf} tells. */
    public AuthenticationDetailsSource<HttpServletRequest, WebAuthenticationDetails> signInDetails() {
        return request -> new BrowserSignInDetails(request, cookieOf(request));
    }

    /** Runs {@code next} after giving the browser that just signed in a new device cookie for the account. */
    public AuthenticationSuccessHandler rememberingDevice(AuthenticationSuccessHandler next) {
        return rememberingDevice((request, authentication) -> request.getParameter(USERNAME), next);
    }

    /**
     * Like {@link #rememberingDevice(AuthenticationSuccessHandler)} for a sign-in without a typed email (a passkey):
     * {@code accountOf} names the account's email.
     */
    public AuthenticationSuccessHandler rememberingDevice(
            BiFunction<HttpServletRequest, Authentication, String> accountOf,
            AuthenticationSuccessHandler next) {
        return (request, response, authentication) -> {
            String account = accountOf.apply(request, authentication);
            if (account != null) {
                remember(request, response, account);
            }
            next.onAuthenticationSuccess(request, response, authentication);
        };
    }

    /**
     * Gives the browser a new device cookie for {@code account} (the email as typed at the password step): for a
     * sign-in that finishes later than the password form, such as after the second factor's code.
     */
    public void remember(HttpServletRequest request, HttpServletResponse response, String account) {
        ResponseCookie cookie = ResponseCookie.from(cookieName, issue(account))
                .httpOnly(true)
                .secure(cookies.secure(request.isSecure() || httpsIssuer))
                .sameSite("Lax")
                .path("/")
                .maxAge(properties.trustedDeviceLifetime())
                .build();
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    }

    /** The device id in {@code cookie} when it is a cookie of this server, unexpired, that names {@code account}. */
    Optional<String> deviceOf(String cookie, String account) {
        if (cookie == null || cookie.length() > MAX_COOKIE_LENGTH || account == null) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(cookie);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            // the master key that signed it; cookies from before master keys had ids name none
            String keyId = jwt.getHeader().getKeyID();
            List<MasterKey.DerivedKey> candidates = keyId == null ? masterKey.deriveAll(SIGNATURE_PURPOSE)
                    : masterKey.derive(SIGNATURE_PURPOSE, keyId).map(List::of).orElse(List.of());
            for (MasterKey.DerivedKey signingKey : candidates) {
                if (jwt.verify(new MACVerifier(signingKey.key()))) {
                    return deviceOf(jwt.getJWTClaimsSet(), account, signingKey.masterKeyId());
                }
            }
            return Optional.empty();
        }
        catch (ParseException | JOSEException | RuntimeException notOurs) {
            return Optional.empty();
        }
    }

    private Optional<String> deviceOf(JWTClaimsSet claims, String account, String masterKeyId) {
        Date expires = claims.getExpirationTime();
        if (expires == null || !expires.toInstant().isAfter(clock.instant())
                || !accountHash(account, masterKeyId).equals(claims.getSubject()) || claims.getJWTID() == null) {
            return Optional.empty();
        }
        return Optional.of(claims.getJWTID());
    }

    String issue(String account) {
        byte[] deviceId = new byte[16];
        random.nextBytes(deviceId);
        Instant now = clock.instant();
        MasterKey.DerivedKey signingKey = masterKey.deriveCurrent(SIGNATURE_PURPOSE);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(accountHash(account, signingKey.masterKeyId()))
                .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(deviceId))
                .expirationTime(Date.from(now.plus(properties.trustedDeviceLifetime())))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(signingKey.masterKeyId()).build(),
                claims);
        try {
            jwt.sign(new MACSigner(signingKey.key()));
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot sign a device cookie", ex);
        }
        return jwt.serialize();
    }

    private String accountHash(String account, String masterKeyId) {
        MasterKey.DerivedKey key = masterKey.derive(ACCOUNT_PURPOSE, masterKeyId)
                .orElseThrow(() -> new IllegalStateException("No master key " + masterKeyId));
        byte[] hash = key.mac(UserRepository.normalize(account).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    private String cookieOf(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (cookieName.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }

    /** A hosted sign-in's details: the usual ones (client IP, session) and the browser's device cookie. */
    static final class BrowserSignInDetails extends WebAuthenticationDetails {

        private static final long serialVersionUID = 1L;

        private final transient String deviceCookie;

        BrowserSignInDetails(HttpServletRequest request, String deviceCookie) {
            super(request);
            this.deviceCookie = deviceCookie;
        }

        AttemptOrigin origin() {
            return new AttemptOrigin(getRemoteAddress(), deviceCookie);
        }
    }
}
