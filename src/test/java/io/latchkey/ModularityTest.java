package io.latchkey;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each capability under io.latchkey is a module: others may use only its top-level public types, and
 * modules must not depend on each other in cycles.
 */
class ModularityTest {

    private final ApplicationModules modules = ApplicationModules.of(LatchkeyApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void everyCapabilityIsAModule() {
        assertThat(modules.stream().map(module -> module.getBasePackage().getName()))
                .contains("io.latchkey.oauth", "io.latchkey.keys", "io.latchkey.client", "io.latchkey.account",
                        "io.latchkey.web", "io.latchkey.runtime", "io.latchkey.crypto", "io.latchkey.theme",
                        "io.latchkey.mail", "io.latchkey.audit", "io.latchkey.ratelimit", "io.latchkey.api",
                        "io.latchkey.logout", "io.latchkey.database", "io.latchkey.jobs", "io.latchkey.ops",
                        "io.latchkey.production", "io.latchkey.session");
    }
}
