package dev.piccolo.ecosystem.web;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/** A row of {@code audit_entry}, written in a transaction of its own. */
@Entity(name = "audit_entry")
public class AuditEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String action;

    protected AuditEntry() {
    }

    public AuditEntry(String action) {
        this.action = action;
    }

    public Long getId() {
        return id;
    }
}
