CREATE TABLE IF NOT EXISTS dropin_marker (written_on int NOT NULL);
INSERT INTO dropin_marker SELECT inet_server_port();
