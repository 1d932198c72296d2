package io.latchkey.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.account.Permissions;
import io.latchkey.account.UserAdministration;
import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientProblem;
import io.latchkey.client.ClientRuleViolation;
import io.latchkey.client.ClientView;

/**
 * Imports a document: reads it ({@link #read}), then checks every item against the same rules as the console (clients
 * through {@link ClientAdministration}, permissions from {@link Permissions#ALL}, bcrypt hashes only) and plans what
 * changes; with every problem listed and nothing changed when there is any. Then, unless it is a dry run, applies the
 * plan in one transaction: creates what is missing, updates what differs, deletes nothing. Importing the same document
 * again changes nothing. Each import is one audit event with its counts and actor.
 */
@Service
public class ConfigurationImport {

    /** What a role's name may be. */
    public static final String ROLE_NAME_PATTERN = "[a-z][a-z0-9_-]{0,63}";
    /** The actor of an import from the command line, which has no signed-in user. */
    public static final String COMMAND_LINE = "command-line";
    private static final String ADMIN_ROLE = "admin";
    private static final String NO_CONTROL_CHARACTERS = "[^\\p{Cntrl}]*";

    private final ClientAdministration clients;
    private final RoleStore roles;
    private final UserStore users;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final ObjectProvider<UserAdministration> userAdministration;

    ConfigurationImport(ClientAdministration clients, RoleStore roles, UserStore users, AuditLog audit,
            TransactionTemplate transactions, ObjectProvider<UserAdministration> userAdministration) {
        this.clients = clients;
        this.roles = roles;
        this.users = users;
        this.audit = audit;
        this.transactions = transactions;
        this.userAdministration = userAdministration;
    }

    /**
     * The document in the text, or {@link DocumentRefused} with every problem of its shape (audited as a refused
     * import).
     */
    public ConfigurationDocument read(byte[] text, DocumentFormat format, String actor) {
        try {
            return DocumentReader.read(format.parse(text));
        }
        catch (DocumentRefused refused) {
            refusedEvent(actor, refused);
            throw refused;
        }
    }

    /**
     * Plans the document's import and, unless {@code dryRun}, applies it in one transaction.
     *
     * @param actingUser the importing admin (null from the command line): an import never disables them or takes the
     *        admin role from them
     * @throws DocumentRefused with every problem found; then nothing was changed
     */
    public ImportPlan apply(ConfigurationDocument document, boolean dryRun, UUID actingUser) {
        String actor = actingUser == null ? COMMAND_LINE : actingUser.toString();
        ImportPlan plan;
        try {
            plan = dryRun ? checkedPlan(document, actingUser, true)
                    : transactions.execute(status -> {
                        ImportPlan planned = checkedPlan(document, actingUser, false);
                        applyPlan(document, planned, actingUser, actor);
                        return planned;
                    });
        }
        catch (DocumentRefused refused) {
            refusedEvent(actor, refused);
            throw refused;
        }
        audit.record(AuditEvent.of(AuditEventType.CONFIGURATION_IMPORTED).subject("configuration").actor(actor)
                .detail("dryRun", Boolean.toString(dryRun))
                .detail("created", Long.toString(plan.count(ImportPlan.Action.CREATE)))
                .detail("updated", Long.toString(plan.count(ImportPlan.Action.UPDATE)))
                .detail("unchanged", Long.toString(plan.count(ImportPlan.Action.UNCHANGED)))
                .detail("withUsers", Boolean.toString(document.users() != null))
                .outcome(AuditEvent.SUCCEEDED));
        return plan;
    }

    private ImportPlan checkedPlan(ConfigurationDocument document, UUID actingUser, boolean dryRun) {
        List<DocumentProblem> problems = new ArrayList<>();
        List<ImportPlan.Item> items = new ArrayList<>();
        planClients(document, problems, items);
        Set<String> rolesInDocument = planRoles(document, problems, items);
        planUsers(document, rolesInDocument, actingUser, problems, items);
        if (!problems.isEmpty()) {
            throw new DocumentRefused(problems);
        }
        return new ImportPlan(dryRun, List.copyOf(items));
    }

    private void planClients(ConfigurationDocument document, List<DocumentProblem> problems,
            List<ImportPlan.Item> items) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < document.clients().size(); i++) {
            ConfigurationDocument.Client client = document.clients().get(i);
            String path = "clients[" + i + "]";
            if (client.clientId() == null) {
                continue;
            }
            if (!seen.add(client.clientId())) {
                problems.add(new DocumentProblem(path + ".client-id", "client-id '" + client.clientId()
                        + "' is listed twice"));
                continue;
            }
            try {
                ClientAdministration.ClientImport planned = clients.planImport(client.clientId(), draft(client),
                        client.secretHash(), source(client));
                List<String> changed = new ArrayList<>(planned.changed());
                Optional<ClientView> existing = clients.find(client.clientId());
                if (existing.isPresent() && existing.get().disabled() == client.enabled()) {
                    changed.add("enabled");
                }
                items.add(new ImportPlan.Item(ImportPlan.Kind.CLIENT, client.clientId(),
                        planned.action() == ClientAdministration.ImportAction.CREATE ? ImportPlan.Action.CREATE
                                : updateOrUnchanged(changed), List.copyOf(changed)));
            }
            catch (ClientRuleViolation violation) {
                for (ClientProblem problem : violation.problems()) {
                    problems.add(new DocumentProblem(problem.property().isEmpty() ? path
                            : path + "." + problem.property(), problem.message()));
                }
            }
        }
    }

    private Set<String> planRoles(ConfigurationDocument document, List<DocumentProblem> problems,
            List<ImportPlan.Item> items) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < document.roles().size(); i++) {
            ConfigurationDocument.Role role = document.roles().get(i);
            String path = "roles[" + i + "]";
            if (role.name() == null) {
                continue;
            }
            int before = problems.size();
            if (!role.name().matches(ROLE_NAME_PATTERN)) {
                problems.add(new DocumentProblem(path + ".name", "name must be a lower-case letter followed by at "
                        + "most 63 lower-case letters, digits, _ or -"));
            }
            else if (!seen.add(role.name())) {
                problems.add(new DocumentProblem(path + ".name", "role '" + role.name() + "' is listed twice"));
            }
            if (role.description() != null && !role.description().matches(NO_CONTROL_CHARACTERS)) {
                problems.add(new DocumentProblem(path + ".description", "description must not hold control characters"));
            }
            for (int j = 0; j < role.permissions().size(); j++) {
                String permission = role.permissions().get(j);
                if (!Permissions.ALL.contains(permission)) {
                    problems.add(new DocumentProblem(path + ".permissions[" + j + "]", "permissions: '"
                            + shown(permission) + "' is not one of " + Permissions.ALL));
                }
            }
            if (problems.size() > before) {
                continue;
            }
            Optional<ConfigurationDocument.Role> existing = roles.find(role.name());
            List<String> changed = new ArrayList<>();
            if (existing.isPresent()) {
                if (!Objects.equals(existing.get().description(), role.description())) {
                    changed.add("description");
                }
                if (!sorted(existing.get().permissions()).equals(sorted(role.permissions()))) {
                    changed.add("permissions");
                }
            }
            items.add(new ImportPlan.Item(ImportPlan.Kind.ROLE, role.name(), existing.isEmpty()
                    ? ImportPlan.Action.CREATE : updateOrUnchanged(changed), List.copyOf(changed)));
        }
        return seen;
    }

    private void planUsers(ConfigurationDocument document, Set<String> rolesInDocument, UUID actingUser,
            List<DocumentProblem> problems, List<ImportPlan.Item> items) {
        if (document.users() == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < document.users().size(); i++) {
            ConfigurationDocument.User user = document.users().get(i);
            String path = "users[" + i + "]";
            if (user.email() == null) {
                continue;
            }
            int before = problems.size();
            String email = UserStore.normalize(user.email());
            if (!email.matches("[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+")) {
                problems.add(new DocumentProblem(path + ".email", "email must be an email address"));
            }
            else if (!seen.add(email)) {
                problems.add(new DocumentProblem(path + ".email", "email '" + shown(user.email())
                        + "' is listed twice"));
            }
            if (user.name() != null && !user.name().matches(NO_CONTROL_CHARACTERS)) {
                problems.add(new DocumentProblem(path + ".name", "name must not hold control characters"));
            }
            if (user.passwordHash() != null && !user.passwordHash().matches(ClientAdministration.BCRYPT_HASH_PATTERN)) {
                problems.add(new DocumentProblem(path + ".password-hash", "password-hash must be a bcrypt hash "
                        + "({bcrypt}$2...); a password in the clear or another algorithm is refused"));
            }
            UUID id = null;
            if (user.id() != null) {
                try {
                    id = UUID.fromString(user.id());
                    if (!ids.add(id)) {
                        problems.add(new DocumentProblem(path + ".id", "id " + id + " is listed twice"));
                    }
                }
                catch (IllegalArgumentException invalid) {
                    problems.add(new DocumentProblem(path + ".id", "id must be a UUID"));
                }
            }
            for (int j = 0; j < user.roles().size(); j++) {
                String role = user.roles().get(j);
                if (!rolesInDocument.contains(role) && (!role.matches(ROLE_NAME_PATTERN) || roles.find(role).isEmpty())) {
                    problems.add(new DocumentProblem(path + ".roles[" + j + "]", "roles: '" + shown(role)
                            + "' is neither in the document nor in the database"));
                }
            }
            if (problems.size() > before) {
                continue;
            }
            Optional<ConfigurationDocument.User> existing = users.findByEmail(email);
            if (existing.isEmpty()) {
                if (id != null && users.exists(id)) {
                    problems.add(new DocumentProblem(path + ".id", "id " + id + " belongs to another user"));
                    continue;
                }
                items.add(new ImportPlan.Item(ImportPlan.Kind.USER, user.email().trim(), ImportPlan.Action.CREATE,
                        List.of()));
                continue;
            }
            ConfigurationDocument.User stored = existing.get();
            boolean self = actingUser != null && actingUser.toString().equals(stored.id());
            if (self && !user.enabled()) {
                problems.add(new DocumentProblem(path + ".enabled", "an import never disables the importing admin"));
                continue;
            }
            if (self && !user.roles().contains(ADMIN_ROLE) && stored.roles().contains(ADMIN_ROLE)) {
                problems.add(new DocumentProblem(path + ".roles", "an import never takes the admin role from the "
                        + "importing admin"));
                continue;
            }
            List<String> changed = new ArrayList<>();
            if (!Objects.equals(stored.name(), user.name())) {
                changed.add("name");
            }
            if (stored.emailVerified() != user.emailVerified()) {
                changed.add("email-verified");
            }
            if (stored.enabled() != user.enabled()) {
                changed.add("enabled");
            }
            if (user.passwordHash() != null && !user.passwordHash().equals(stored.passwordHash())) {
                changed.add("password-hash");
            }
            if (!sorted(stored.roles()).equals(sorted(user.roles()))) {
                changed.add("roles");
            }
            items.add(new ImportPlan.Item(ImportPlan.Kind.USER, stored.email(), updateOrUnchanged(changed),
                    List.copyOf(changed)));
        }
    }

    private void applyPlan(ConfigurationDocument document, ImportPlan plan, UUID actingUser, String actor) {
        int item = 0;
        for (ConfigurationDocument.Client client : document.clients()) {
            ImportPlan.Item planned = plan.items().get(item++);
            if (planned.action() == ImportPlan.Action.UNCHANGED) {
                continue;
            }
            clients.importClient(client.clientId(), draft(client), client.secretHash(), source(client), actor);
            boolean disabled = clients.find(client.clientId()).map(ClientView::disabled).orElse(false);
            if (disabled && client.enabled()) {
                clients.enable(client.clientId(), actor);
            }
            else if (!disabled && !client.enabled()) {
                clients.disable(client.clientId(), actor);
            }
        }
        for (ConfigurationDocument.Role role : document.roles()) {
            ImportPlan.Item planned = plan.items().get(item++);
            if (planned.action() == ImportPlan.Action.CREATE) {
                roles.create(role.name(), role.description());
                roles.replacePermissions(role.name(), role.permissions());
            }
            else if (planned.action() == ImportPlan.Action.UPDATE) {
                roles.describe(role.name(), role.description());
                roles.replacePermissions(role.name(), role.permissions());
            }
        }
        if (document.users() == null) {
            return;
        }
        for (ConfigurationDocument.User user : document.users()) {
            ImportPlan.Item planned = plan.items().get(item++);
            if (planned.action() == ImportPlan.Action.CREATE) {
                UUID id = user.id() == null ? UUID.randomUUID() : UUID.fromString(user.id());
                users.create(id, user);
                users.replaceRoles(id, user.roles());
            }
            else if (planned.action() == ImportPlan.Action.UPDATE) {
                UUID id = UUID.fromString(users.findByEmail(user.email()).orElseThrow().id());
                users.update(id, user);
                users.replaceRoles(id, user.roles());
                if (planned.changed().contains("enabled")) {
                    setEnabled(actingUser, id, user.enabled());
                }
            }
        }
    }

    /** Through the account's administration where it runs (disabling signs the user out everywhere), else directly. */
    private void setEnabled(UUID actingUser, UUID id, boolean enabled) {
        UserAdministration administration = userAdministration.getIfAvailable();
        if (administration != null) {
            administration.setEnabled(actingUser, id, enabled);
        }
        else {
            users.setEnabled(id, enabled);
        }
    }

    private void refusedEvent(String actor, DocumentRefused refused) {
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.CONFIGURATION_IMPORTED).subject("configuration")
                .actor(actor).detail("problems", Integer.toString(refused.problems().size()))
                .outcome(AuditEvent.REFUSED));
    }

    static ClientDraft draft(ConfigurationDocument.Client client) {
        return new ClientDraft(client.displayName(), client.confidential(), client.grantTypes(), client.redirectUris(),
                client.postLogoutRedirectUris(), client.scopes(), client.requirePkce(), client.requireConsent(),
                duration(client.accessTokenTtl()), duration(client.refreshTokenTtl()), client.logoUri(),
                client.requireMfa(), client.backchannelLogoutUri(), client.extensions());
    }

    private static String source(ConfigurationDocument.Client client) {
        return client.source() == null ? ClientAdministration.ADMINISTERED : client.source();
    }

    private static Duration duration(String text) {
        return text == null ? null : DurationStyle.detectAndParse(text);
    }

    private static ImportPlan.Action updateOrUnchanged(List<String> changed) {
        return changed.isEmpty() ? ImportPlan.Action.UNCHANGED : ImportPlan.Action.UPDATE;
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().distinct().sorted().toList();
    }

    private static String shown(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 100 ? printable.substring(0, 100) + "..." : printable;
    }
}
