package io.latchkey.mfa;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * An authentication that gained a factor (a TOTP or recovery code), becoming the session's: the factor authority
 * with the time it was proved, a new session id (the session's privileges changed) and the security context saved.
 */
final class FactorAdded {

    private static final SecurityContextRepository CONTEXTS = new HttpSessionSecurityContextRepository();

    private FactorAdded() {
    }

    static Authentication with(Authentication base, String factor, Instant at) {
        List<GrantedAuthority> authorities = new ArrayList<>(base.getAuthorities());
        authorities.removeIf(authority -> authority instanceof FactorGrantedAuthority
                && factor.equals(authority.getAuthority()));
        authorities.add(FactorGrantedAuthority.withAuthority(factor).issuedAt(at).build());
        UsernamePasswordAuthenticationToken added = UsernamePasswordAuthenticationToken.authenticated(
                base.getPrincipal(), null, authorities);
        added.setDetails(base.getDetails());
        return added;
    }

    /** Makes {@code authentication} this browser's sign-in, under a new session id. */
    static void signIn(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        request.getSession();
        request.changeSessionId();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        CONTEXTS.saveContext(context, request, response);
    }
}
