package io.latchkey.config;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Service;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientExtensions;
import io.latchkey.client.ClientView;

/**
 * Writes clients made while running, every role with its permissions and, when asked, every user with their password
 * hash, as one document. Clients declared in configuration are left out: they are configuration already, and an
 * import never changes them. Every export is an audit event (with users or not).
 */
@Service
public class ConfigurationExport {

    private final ClientAdministration clients;
    private final RoleStore roles;
    private final UserStore users;
    private final AuditLog audit;

    ConfigurationExport(ClientAdministration clients, RoleStore roles, UserStore users, AuditLog audit) {
        this.clients = clients;
        this.roles = roles;
        this.users = users;
        this.audit = audit;
    }

    /** The document; {@code withUsers} adds every user with their password hash (the caller checked users:read). */
    public ConfigurationDocument document(boolean withUsers) {
        List<ConfigurationDocument.Client> exported = new ArrayList<>();
        for (int page = 0;; page++) {
            ClientAdministration.ClientPage found = clients.search("", page, ClientAdministration.MAX_PAGE_SIZE);
            for (ClientView client : found.clients()) {
                if (!client.readOnly()) {
                    exported.add(entry(client));
                }
            }
            if ((long) (page + 1) * found.size() >= found.total() || found.clients().isEmpty()) {
                break;
            }
        }
        return new ConfigurationDocument(ConfigurationDocument.VERSION, exported, roles.all(),
                withUsers ? users.all() : null);
    }

    /** The document, written in the format; audited with the actor. */
    public String export(DocumentFormat format, boolean withUsers, String actor) {
        ConfigurationDocument document = document(withUsers);
        String text = format.write(document);
        audit.record(AuditEvent.of(AuditEventType.CONFIGURATION_EXPORTED).subject("configuration").actor(actor)
                .detail("format", format.extension()).detail("withUsers", Boolean.toString(withUsers))
                .detail("clients", Integer.toString(document.clients().size()))
                .detail("roles", Integer.toString(document.roles().size()))
                .detail("users", withUsers ? Integer.toString(document.users().size()) : "0")
                .outcome(AuditEvent.SUCCEEDED));
        return text;
    }

    private ConfigurationDocument.Client entry(ClientView client) {
        return new ConfigurationDocument.Client(client.clientId(), client.source(), client.displayName(),
                client.confidential(), client.confidential()
                        ? clients.secretHashForExport(client.clientId()).orElse(null) : null,
                client.grantTypes(), client.redirectUris(), client.postLogoutRedirectUris(), client.scopes(),
                client.requirePkce(), client.requireConsent(),
                client.accessTokenTtl() == null ? null : client.accessTokenTtl().toString(),
                client.refreshTokenTtl() == null ? null : client.refreshTokenTtl().toString(), client.logoUri(),
                client.requireMfa(), client.backchannelLogoutUri(), !client.disabled(),
                ClientExtensions.NONE.equals(client.extensions()) ? null : client.extensions());
    }
}
