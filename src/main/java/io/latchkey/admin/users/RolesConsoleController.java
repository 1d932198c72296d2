package io.latchkey.admin.users;

import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.latchkey.account.AccountRuleViolation;
import io.latchkey.account.Permissions;
import io.latchkey.account.RoleAdministration;
import io.latchkey.admin.AdminConsoleAccess;

/**
 * The console's roles, {@code /admin/roles}: every role with its permissions and members; a form to create one, and
 * for each role a form of permission checkboxes and a delete button. The page needs {@code roles:read}, each change
 * {@code roles:write} and a fresh sign-in. A refusal ({@link RoleAdministration}'s rules) is shown on the page next
 * to the form it concerns, with what was typed kept.
 */
@Controller
class RolesConsoleController {

    static final String PATH = "/admin/roles";

    private final RoleAdministration roles;
    private final Permissions permissions;

    RolesConsoleController(RoleAdministration roles, Permissions permissions) {
        this.roles = roles;
        this.permissions = permissions;
    }

    @GetMapping(PATH)
    @PreAuthorize("@adminConsole.allows(authentication, 'roles:read')")
    String list(Authentication authentication, Model model) {
        return page(authentication, model, new NewRole("", "", List.of()));
    }

    @PostMapping(PATH)
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'roles:write')")
    String create(@RequestParam(name = "name", required = false) String name,
            @RequestParam(name = "description", required = false) String description,
            @RequestParam(name = "permissions", required = false) List<String> wanted,
            Authentication authentication, Model model, HttpServletResponse response) {
        List<String> chosen = wanted == null ? List.of() : wanted;
        try {
            roles.create(AdminConsoleAccess.actor(authentication), name, description, chosen);
        }
        catch (AccountRuleViolation refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("createField", refused.field());
            model.addAttribute("createError", refused.messageKey());
            return page(authentication, model, new NewRole(name == null ? "" : name,
                    description == null ? "" : description, chosen));
        }
        return "redirect:" + PATH + "?done=roleCreated";
    }

    @PostMapping(PATH + "/{name}/permissions")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'roles:write')")
    String setPermissions(@PathVariable("name") String name,
            @RequestParam(name = "permissions", required = false) List<String> wanted,
            Authentication authentication, Model model, HttpServletResponse response) {
        try {
            if (roles.setPermissions(AdminConsoleAccess.actor(authentication), name,
                    wanted == null ? List.of() : wanted).isEmpty()) {
                return notFound(response, model);
            }
        }
        catch (AccountRuleViolation refused) {
            return refused(name, refused, authentication, model, response);
        }
        return "redirect:" + PATH + "?done=rolePermissionsSaved#role-" + name;
    }

    @PostMapping(PATH + "/{name}/delete")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'roles:write')")
    String delete(@PathVariable("name") String name, Authentication authentication, Model model,
            HttpServletResponse response) {
        try {
            if (!roles.delete(AdminConsoleAccess.actor(authentication), name)) {
                return notFound(response, model);
            }
        }
        catch (AccountRuleViolation refused) {
            return refused(name, refused, authentication, model, response);
        }
        return "redirect:" + PATH + "?done=roleDeleted";
    }

    private String refused(String name, AccountRuleViolation refused, Authentication authentication, Model model,
            HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        model.addAttribute("roleErrorName", name);
        model.addAttribute("roleError", refused.messageKey());
        return page(authentication, model, new NewRole("", "", List.of()));
    }

    private String page(Authentication authentication, Model model, NewRole newRole) {
        Set<String> own = permissions.of(AdminConsoleAccess.actor(authentication));
        model.addAttribute("roles", roles.roles());
        model.addAttribute("allPermissions", roles.permissions());
        model.addAttribute("newRole", newRole);
        model.addAttribute("canWrite", own.contains(Permissions.ROLES_WRITE));
        model.addAttribute("maxNameLength", 64);
        model.addAttribute("maxDescriptionLength", RoleAdministration.MAX_DESCRIPTION_LENGTH);
        return "admin/users/roles";
    }

    private static String notFound(HttpServletResponse response, Model model) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        model.addAttribute("notFoundKey", "admin.roles.notFound");
        model.addAttribute("backPath", PATH);
        model.addAttribute("section", "roles");
        return "admin/users/not-found";
    }

    /** What the create form shows: empty, or what was typed when it was refused. */
    record NewRole(String name, String description, List<String> permissions) {
    }
}
