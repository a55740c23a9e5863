DROP TABLE IF EXISTS priced_order;
DROP TABLE IF EXISTS unit_price;
-- The price list the jobs read on read_replica_1: a unit of category n costs n * 100 cents, for the categories 1 to 10
-- (ChunkOrientedStepApplication.CATEGORIES).
CREATE TABLE unit_price (category int PRIMARY KEY, cents int NOT NULL);
INSERT INTO unit_price (category, cents) SELECT n, n * 100 FROM generate_series(1, 10) AS n;
-- priced_on, written_on: the port of the server that read the line's price, and of the one that inserted the row.
CREATE TABLE priced_order (
    id           int PRIMARY KEY,
    category     int NOT NULL,
    quantity     int NOT NULL,
    amount_cents int NOT NULL CONSTRAINT priced_order_amount_positive CHECK (amount_cents > 0),
    priced_on    int NOT NULL,
    written_on   int NOT NULL
);
