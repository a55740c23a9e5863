DROP TABLE IF EXISTS mybatis_entry;
CREATE TABLE mybatis_entry (round int NOT NULL, item int NOT NULL, PRIMARY KEY (round, item));
