package io.latchkey.admin;

import java.time.Instant;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

import io.latchkey.account.Permissions;
import io.latchkey.keys.SigningKeyAdministration;
import io.latchkey.keys.SigningKeyInfo;

/** The signing keys: which signs, which are still published and until when; and rotating now. */
@Controller
class SigningKeysPageController {

    static final String PATH = "/admin/keys";

    private final SigningKeyAdministration keys;
    private final Permissions permissions;

    SigningKeysPageController(SigningKeyAdministration keys, Permissions permissions) {
        this.keys = keys;
        this.permissions = permissions;
    }

    @GetMapping(PATH)
    @PreAuthorize("@adminConsole.allows(authentication, 'keys:read')")
    String keys(Authentication authentication, Model model) {
        Instant now = keys.now();
        model.addAttribute("keys", keys.list().stream().map(key -> KeyRow.of(key, now)).toList());
        model.addAttribute("mayRotate",
                permissions.of(AdminConsoleAccess.actor(authentication)).contains(Permissions.KEYS_ROTATE));
        return "admin/keys";
    }

    @PostMapping(PATH + "/rotate")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'keys:rotate')")
    String rotate(Authentication authentication) {
        keys.rotate(AdminConsoleAccess.actor(authentication));
        return "redirect:" + PATH + "?done=keyRotated";
    }

    /** A key as the table shows it. */
    record KeyRow(String kid, String algorithm, String status, String created, String retired, String publishedUntil,
            long ageDays, long ageHours) {

        static KeyRow of(SigningKeyInfo key, Instant now) {
            long[] age = AdminTimes.daysAndHours(key.age(now));
            return new KeyRow(key.kid(), key.algorithm(), key.status(now).name().toLowerCase(java.util.Locale.ROOT),
                    AdminTimes.minute(key.createdAt()), AdminTimes.minute(key.retiredAt()),
                    AdminTimes.minute(key.publishedUntil()), age[0], age[1]);
        }
    }
}
