-- The permissions of the admin console and the admin API (issue 15). The role "admin" holds every one of them;
-- roles created by administrators start with none. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
INSERT INTO role_permissions (role_name, permission) VALUES ('admin', 'clients:read');
INSERT INTO role_permissions (role_name, permission) VALUES ('admin', 'roles:read');
INSERT INTO role_permissions (role_name, permission) VALUES ('admin', 'keys:read');
INSERT INTO role_permissions (role_name, permission) VALUES ('admin', 'keys:rotate');
INSERT INTO role_permissions (role_name, permission) VALUES ('admin', 'audit:read');
INSERT INTO role_permissions (role_name, permission) VALUES ('admin', 'config:export');
INSERT INTO role_permissions (role_name, permission) VALUES ('admin', 'config:import');
