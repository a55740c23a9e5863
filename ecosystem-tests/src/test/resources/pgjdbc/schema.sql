DROP TABLE IF EXISTS copied_row;
CREATE TABLE copied_row (n int NOT NULL, label text NOT NULL);
DROP TABLE IF EXISTS kept_row;
CREATE TABLE kept_row (round int NOT NULL, item int NOT NULL);
