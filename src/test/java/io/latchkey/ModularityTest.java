package io.latchkey;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each capability under io.latchkey is a module: others may use only its top-level public types, and each module
 * uses only the modules its {@code package-info.java} allows ({@code @ApplicationModule(allowedDependencies)}).
 * The allowed dependencies point down these layers, never up; within a layer only where a module's list says so:
 *
 * <table>
 * <caption>Layers, bottom to top</caption>
 * <tr><th>Layer</th><th>Modules</th></tr>
 * <tr><td>1 infrastructure</td><td>ops, runtime, admission, database, jobs, http</td></tr>
 * <tr><td>2 security primitives</td><td>crypto, keys, audit, ratelimit, theme, mail</td></tr>
 * <tr><td>3 stores and state</td><td>session, client</td></tr>
 * <tr><td>4 accounts</td><td>account</td></tr>
 * <tr><td>5 tokens</td><td>tokens</td></tr>
 * <tr><td>6 authorization server</td><td>oauth</td></tr>
 * <tr><td>7 entrances</td><td>api, pages, logout, production, admin, config (configuration as code, used by api), clientregistration</td></tr>
 * </table>
 *
 * So the shared HTTP layer knows no accounts, clients or keys; account does not reach into tokens (tokens
 * implements what account needs of it); keys does not use tokens.
 */
class ModularityTest {

    private static final List<Set<String>> LAYERS = List.of(
            Set.of("ops", "runtime", "admission", "database", "jobs", "http"),
            Set.of("crypto", "keys", "audit", "ratelimit", "theme", "mail"),
            Set.of("session", "client"),
            Set.of("account"),
            Set.of("passkey", "mfa"),
            Set.of("tokens"),
            Set.of("oauth"),
            Set.of("api", "pages", "logout", "production", "admin", "config", "clientregistration"));

    private final ApplicationModules modules = ApplicationModules.of(LatchkeyApplication.class);

    @Test
    void modulesUseOnlyTheModulesTheyDeclare() {
        modules.verify();
    }

    @Test
    void everyModuleDeclaresWhichModulesItMayUse() {
        modules.forEach(module -> assertThat(allowedDependencies(module))
                .as("io.latchkey.%s/package-info.java: @ApplicationModule(allowedDependencies = {...})",
                        module.getName())
                .hasValueSatisfying(allowed -> assertThat(allowed).doesNotContain(ApplicationModule.OPEN_TOKEN)));
    }

    @Test
    void declaredDependenciesPointDownTheLayers() {
        assertThat(modules.stream().map(module -> module.getName()))
                .as("every module has its place in LAYERS")
                .containsExactlyInAnyOrderElementsOf(LAYERS.stream().flatMap(Set::stream).toList());
        modules.forEach(module -> {
            int layer = layerOf(module.getName());
            for (String dependency : allowedDependencies(module).orElse(List.of())) {
                assertThat(layerOf(dependency) + 1)
                        .as("%s (layer %d) allows %s: not below it", module.getName(), layer + 1, dependency)
                        .isLessThanOrEqualTo(layer + 1);
            }
        });
    }

    @Test
    void everyCapabilityIsAModule() {
        assertThat(modules.stream().map(module -> module.getBasePackage().getName()))
                .contains("io.latchkey.oauth", "io.latchkey.keys", "io.latchkey.client", "io.latchkey.account",
                        "io.latchkey.http", "io.latchkey.pages", "io.latchkey.runtime", "io.latchkey.crypto",
                        "io.latchkey.theme", "io.latchkey.mail", "io.latchkey.audit", "io.latchkey.ratelimit",
                        "io.latchkey.api", "io.latchkey.logout", "io.latchkey.database", "io.latchkey.jobs",
                        "io.latchkey.ops", "io.latchkey.production", "io.latchkey.session", "io.latchkey.tokens",
                        "io.latchkey.admission");
    }

    private static Optional<List<String>> allowedDependencies(
            org.springframework.modulith.core.ApplicationModule module) {
        return module.getBasePackage().getAnnotation(ApplicationModule.class)
                .map(declared -> List.of(declared.allowedDependencies()));
    }

    private static int layerOf(String module) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(module.split("::")[0].trim())) {
                return i;
            }
        }
        throw new AssertionError(module + " is in no layer of ModularityTest.LAYERS");
    }
}
