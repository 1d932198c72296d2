package io.latchkey.admin;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's start page: the dashboard of sign-ins and tokens, from the audit trail (so audit:read). */
@Controller
class AdminHomeController {

    static final String PATH = "/admin";

    @GetMapping(PATH)
    @PreAuthorize("@adminConsole.allows(authentication, 'audit:read')")
    String home() {
        return "admin/home";
    }
}
