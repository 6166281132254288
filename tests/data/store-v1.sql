-- A database as quire schema version 1 wrote it (kept as released; the
-- migration test opens it with the current quire).
CREATE TABLE groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL);
CREATE TABLE printers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
  address TEXT NOT NULL, port INTEGER NOT NULL DEFAULT 161,
  group_id INTEGER REFERENCES groups(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'unknown',
  reason TEXT, checked_at INTEGER,
  sys_descr TEXT, sys_object_id TEXT, sys_name TEXT);
CREATE INDEX printers_group ON printers(group_id);
CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL,
  who TEXT NOT NULL, action TEXT NOT NULL, detail TEXT, printers TEXT);
INSERT INTO groups VALUES (1, 'site-a', 1700000000000);
INSERT INTO printers (id, name, address, port, group_id, created_at, state,
  sys_name) VALUES (1, 'old-01', '127.0.0.1', 1161, 1, 1700000000000,
  'reachable', 'old-sysname');
INSERT INTO audit VALUES (1, 1700000000000, 'op', 'printer add', NULL,
  'old-01');
PRAGMA user_version = 1;
