package io.latchkey.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Roles and their permissions ({@code roles}, {@code role_permissions}), as an export reads and an import writes them. */
@Repository
class RoleStore {

    private final JdbcClient jdbc;

    RoleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every role, by name, with its permissions sorted. */
    List<ConfigurationDocument.Role> all() {
        Map<String, String> descriptions = new LinkedHashMap<>();
        jdbc.sql("SELECT name, description FROM roles ORDER BY name")
                .query((rs, row) -> descriptions.put(rs.getString("name"), rs.getString("description"))).list();
        List<ConfigurationDocument.Role> roles = new ArrayList<>();
        descriptions.forEach((name, description) -> roles.add(new ConfigurationDocument.Role(name, description,
                permissions(name))));
        return roles;
    }

    Optional<ConfigurationDocument.Role> find(String name) {
        return jdbc.sql("SELECT description FROM roles WHERE name = :name").param("name", name)
                .query((rs, row) -> new ConfigurationDocument.Role(name, rs.getString("description"), permissions(name)))
                .optional();
    }

    void create(String name, String description) {
        jdbc.sql("INSERT INTO roles (name, description) VALUES (:name, :description)")
                .param("name", name).param("description", description).update();
    }

    void describe(String name, String description) {
        jdbc.sql("UPDATE roles SET description = :description WHERE name = :name")
                .param("name", name).param("description", description).update();
    }

    /** Gives the role exactly these permissions. */
    void replacePermissions(String name, List<String> permissions) {
        jdbc.sql("DELETE FROM role_permissions WHERE role_name = :name").param("name", name).update();
        for (String permission : new TreeSet<>(permissions)) {
            jdbc.sql("INSERT INTO role_permissions (role_name, permission) VALUES (:name, :permission)")
                    .param("name", name).param("permission", permission).update();
        }
    }

    private List<String> permissions(String name) {
        return jdbc.sql("SELECT permission FROM role_permissions WHERE role_name = :name ORDER BY permission")
                .param("name", name).query(String.class).list();
    }
}
