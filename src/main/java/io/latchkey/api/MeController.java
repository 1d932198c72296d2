package io.latchkey.api;

import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import io.latchkey.account.AccountService;
import io.latchkey.account.AttemptOrigin;
import io.latchkey.account.UserAccount;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The signed-in user's own account, for tokens with the scope {@code latchkey.account} and tokens of the
 * first-party API client ({@link ApiAccessRules#OWN_ACCOUNT}). The user is always the token's subject: nothing
 * in the request can point these operations at another user.
 */
@RestController
@RequestMapping("/api/v1/users/me")
@PreAuthorize(ApiAccessRules.OWN_ACCOUNT)
@Tag(name = "me", description = "The signed-in user's own account (scope latchkey.account, or the API's own client)")
class MeController {

    private final AccountService accounts;

    MeController(AccountService accounts) {
        this.accounts = accounts;
    }

    @GetMapping
    @Operation(summary = "The signed-in user")
    ApiResponses.Me me(Authentication authentication) {
        return ApiResponses.Me.of(current(authentication));
    }

    @PatchMapping
    @Operation(summary = "Change the signed-in user's name", description = "\"\" removes the name")
    ApiResponses.Me update(Authentication authentication, @Valid @RequestBody ApiRequests.Profile body) {
        UserAccount user = current(authentication);
        accounts.updateName(user.id(), body.name());
        return ApiResponses.Me.of(current(authentication));
    }

    @PostMapping("/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Change the signed-in user's password", description = "Needs the current password, "
            + "which is checked like a sign-in: 429 with Retry-After when guessing. Ends every browser session of the "
            + "user and revokes every token of the user except those of this sign-in")
    void changePassword(Authentication authentication, @Valid @RequestBody ApiRequests.PasswordChange body,
            HttpServletRequest request) {
        String accessToken = authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> bearer
                ? bearer.getToken().getTokenValue() : null;
        // an API client is never a trusted device: wrong current passwords count toward the account's lock
        accounts.changePassword(current(authentication).id(), body.currentPassword(), body.newPassword(),
                AttemptOrigin.untrusted(request.getRemoteAddr()), accessToken, null);
    }

    private UserAccount current(Authentication authentication) {
        // ApiTokenAuthentication made the name the id of an existing user; it may have been deleted since
        return accounts.find(UUID.fromString(authentication.getName()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }
}
