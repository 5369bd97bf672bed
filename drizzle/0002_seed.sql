-- OTOBO's initial rows (scripts/database/otobo-initial_insert.xml): validity states, the first
-- agent (id 1, whom bootstrap API tokens act as) and the three standard groups.
INSERT INTO "valid" ("id", "name", "create_time", "create_by", "change_time", "change_by") VALUES
  (1, 'valid', current_timestamp, 1, current_timestamp, 1),
  (2, 'invalid', current_timestamp, 1, current_timestamp, 1),
  (3, 'invalid-temporarily', current_timestamp, 1, current_timestamp, 1);
--> statement-breakpoint
INSERT INTO "users" ("id", "login", "pw", "first_name", "last_name", "valid_id", "create_time", "create_by", "change_time", "change_by")
  VALUES (1, 'root@localhost', '', 'Admin', 'OTOBO', 1, current_timestamp, 1, current_timestamp, 1);
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('users', 'id'), 1);
--> statement-breakpoint
INSERT INTO "groups_table" ("id", "name", "comments", "valid_id", "create_time", "create_by", "change_time", "change_by") VALUES
  (1, 'users', 'Group for default access.', 1, current_timestamp, 1, current_timestamp, 1),
  (2, 'admin', 'Group of all administrators.', 1, current_timestamp, 1, current_timestamp, 1),
  (3, 'stats', 'Group for statistics access.', 1, current_timestamp, 1, current_timestamp, 1);
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('groups_table', 'id'), 3);
