-- uuid_generate_v4() comes from the uuid-ossp extension, which the engine creates before Flyway runs.
CREATE TABLE item (
    id         uuid PRIMARY KEY DEFAULT uuid_generate_v4(),
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
