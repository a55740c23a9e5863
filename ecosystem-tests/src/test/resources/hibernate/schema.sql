DROP TABLE IF EXISTS reading;
DROP SEQUENCE IF EXISTS reading_id_seq;
-- Steps of 50, the entity's allocationSize: Hibernate hands out 50 ids per nextval.
CREATE SEQUENCE reading_id_seq INCREMENT BY 50;
CREATE TABLE reading (
    id     bigint PRIMARY KEY,
    label  text NOT NULL,
    amount int NOT NULL CONSTRAINT reading_amount_not_negative CHECK (amount >= 0)
);
