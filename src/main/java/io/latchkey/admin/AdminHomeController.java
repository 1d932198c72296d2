package io.latchkey.admin;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's start page: the dashboard of sign-ins and tokens over the last day ({@link AdminDashboard}), from
 * the audit trail and the token counts (so audit:read).
 */
@Controller
class AdminHomeController {

    static final String PATH = "/admin";

    private final AdminDashboard dashboard;

    AdminHomeController(AdminDashboard dashboard) {
        this.dashboard = dashboard;
    }

    @GetMapping(PATH)
    @PreAuthorize("@adminConsole.allows(authentication, 'audit:read')")
    String home(Model model) {
        model.addAttribute("figures", dashboard.figures());
        return "admin/home";
    }
}
