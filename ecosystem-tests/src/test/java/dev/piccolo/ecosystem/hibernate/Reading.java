package dev.piccolo.ecosystem.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * A row of {@code reading}. Its id comes from a sequence, 50 at a time: Hibernate knows every id before it
 * inserts, so it can batch the inserts (an identity column would make it insert one row at a time).
 */
@Entity
@Table(name = "reading")
public class Reading {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "reading_ids")
    @SequenceGenerator(name = "reading_ids", sequenceName = "reading_id_seq", allocationSize = 50)
    private Long id;

    private String label;

    private int amount;

    protected Reading() {
    }

    public Reading(String label, int amount) {
        this.label = label;
        this.amount = amount;
    }

    public Long getId() {
        return id;
    }

    public void add(int delta) {
        amount += delta;
    }
}
