package io.latchkey.passkey;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.latchkey.runtime.Issuer;

/**
 * The WebAuthn relying party Latchkey is: its id (by default the issuer's host), its name and the origins it accepts
 * ceremonies from (by default the issuer's origin). WebAuthn does not allow an IP address as relying party id, so an
 * issuer reached by IP address has no passkeys unless {@code latchkey.passkeys.rp-id} names a domain; this is said
 * once, at start-up.
 */
@Component
class RelyingParty {

    private static final Logger log = LoggerFactory.getLogger(RelyingParty.class);

    private final String id;
    private final String name;
    private final Set<String> origins;

    RelyingParty(Issuer issuer, PasskeyProperties properties) {
        URI issuerUrl = URI.create(issuer.url());
        String host = issuerUrl.getHost().toLowerCase(Locale.ROOT);
        if (properties.rpId() == null && isIpAddress(host)) {
            log.warn("Passkeys are switched off: the issuer {} is an IP address, which WebAuthn does not accept as "
                    + "relying party id. Set latchkey.passkeys.rp-id (LATCHKEY_PASSKEYS_RP_ID) to a domain name "
                    + "to use passkeys.", issuer.url());
            this.id = null;
        }
        else {
            this.id = properties.rpId() == null ? host : properties.rpId().toLowerCase(Locale.ROOT);
        }
        this.name = properties.rpName();
        Set<String> allowed = new LinkedHashSet<>(properties.allowedOrigins());
        if (allowed.isEmpty()) {
            allowed.add(originOf(issuerUrl));
        }
        this.origins = Set.copyOf(allowed);
    }

    boolean enabled() {
        return id != null;
    }

    String id() {
        return id;
    }

    String name() {
        return name;
    }

    Set<String> origins() {
        return origins;
    }

    /** scheme://host[:port], the port only when it is not the scheme's default. */
    static String originOf(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    static boolean isIpAddress(String host) {
        return host.startsWith("[") || host.contains(":") || host.matches("[0-9.]+");
    }
}
