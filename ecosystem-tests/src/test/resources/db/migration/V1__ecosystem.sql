CREATE TABLE person (
    id   bigserial PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE book (
    id    bigserial PRIMARY KEY,
    title text NOT NULL
);

CREATE TABLE owner (
    id   bigserial PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE audit_entry (
    id     bigserial PRIMARY KEY,
    action text NOT NULL
);
