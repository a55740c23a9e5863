CREATE TABLE person (
    id   bigserial PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE book (
    id    bigserial PRIMARY KEY,
    title text NOT NULL
);
