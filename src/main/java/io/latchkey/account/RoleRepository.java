package io.latchkey.account;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The roles, their permissions ({@code role_permissions}) and how many users hold each. */
@Repository
class RoleRepository {

    private final JdbcClient jdbc;

    RoleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every role, by name. */
    List<RoleAdministration.Role> all() {
        Map<String, Row> rows = new LinkedHashMap<>();
        jdbc.sql("SELECT r.name, r.description, (SELECT COUNT(*) FROM user_roles ur WHERE ur.role_name = r.name) AS members "
                        + "FROM roles r ORDER BY r.name")
                .query((rs, n) -> new Row(rs.getString("name"), rs.getString("description"), rs.getLong("members")))
                .list().forEach(row -> rows.put(row.name(), row));
        Map<String, Set<String>> permissions = new LinkedHashMap<>();
        jdbc.sql("SELECT role_name, permission FROM role_permissions")
                .query((rs, n) -> Map.entry(rs.getString("role_name"), rs.getString("permission")))
                .list().forEach(entry -> permissions.computeIfAbsent(entry.getKey(), key -> new TreeSet<>())
                        .add(entry.getValue()));
        List<RoleAdministration.Role> roles = new ArrayList<>(rows.size());
        rows.values().forEach(row -> roles.add(new RoleAdministration.Role(row.name(), row.description(),
                permissions.getOrDefault(row.name(), Set.of()), row.members())));
        return roles;
    }

    Optional<RoleAdministration.Role> find(String name) {
        return all().stream().filter(role -> role.name().equals(name)).findFirst();
    }

    /** Locks the role's row until the transaction ends; false when there is no such role. */
    boolean lock(String name) {
        return jdbc.sql("SELECT name FROM roles WHERE name = :name FOR UPDATE").param("name", name)
                .query(String.class).optional().isPresent();
    }

    boolean exists(String name) {
        return jdbc.sql("SELECT COUNT(*) FROM roles WHERE name = :name").param("name", name).query(Long.class).single() > 0;
    }

    void insert(String name, String description) {
        jdbc.sql("INSERT INTO roles (name, description) VALUES (:name, :description)")
                .param("name", name).param("description", description).update();
    }

    void replacePermissions(String name, Collection<String> permissions) {
        jdbc.sql("DELETE FROM role_permissions WHERE role_name = :name").param("name", name).update();
        for (String permission : permissions) {
            jdbc.sql("INSERT INTO role_permissions (role_name, permission) VALUES (:name, :permission)")
                    .param("name", name).param("permission", permission).update();
        }
    }

    /** Deletes the role; its permissions and memberships go with it (ON DELETE CASCADE). */
    boolean delete(String name) {
        return jdbc.sql("DELETE FROM roles WHERE name = :name").param("name", name).update() == 1;
    }

    private record Row(String name, String description, long members) {
    }
}
