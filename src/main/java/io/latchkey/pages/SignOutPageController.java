package io.latchkey.pages;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The sign-out page, where the OpenID Connect logout endpoint sends a request that names no application
 * ({@code /connect/logout} without {@code id_token_hint}): there is nothing to check and nowhere to return to, so
 * instead of an error the user is asked to confirm signing out (RP-Initiated Logout 1.0 section 2 lets the OP ask),
 * or told that they are signed out already.
 */
@Controller
class SignOutPageController {

    static final String PATH = "/sign-out";

    @GetMapping(PATH)
    String signOut(Authentication authentication, Model model) {
        model.addAttribute("signedIn", authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken));
        return "sign-out";
    }
}
