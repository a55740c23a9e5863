package dev.piccolo.ecosystem.adoption.h2;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** A visit, as in spring-petclinic. */
@Entity
public class Visit {

    @Id
    @GeneratedValue
    private Long id;

    private String description;

    protected Visit() {
    }

    public Visit(String description) {
        this.description = description;
    }

    public String getDescription() {
        return description;
    }
}
