-- What each role may do in the first-party API (and, with the scope "permissions", what access tokens say).
-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode. (V5 is taken by another change.)
CREATE TABLE role_permissions (
    role_name  varchar(64) NOT NULL,
    permission varchar(64) NOT NULL,
    CONSTRAINT pk_role_permissions PRIMARY KEY (role_name, permission),
    CONSTRAINT fk_role_permissions_role FOREIGN KEY (role_name) REFERENCES roles (name) ON DELETE CASCADE
);

INSERT INTO role_permissions (role_name, permission) VALUES ('admin', 'users:read');
INSERT INTO role_permissions (role_name, permission) VALUES ('admin', 'users:write');
INSERT INTO role_permissions (role_name, permission) VALUES ('admin', 'clients:write');
INSERT INTO role_permissions (role_name, permission) VALUES ('admin', 'roles:write');
-- the role "user" has no permission: a user manages only their own account, through /api/v1/users/me
