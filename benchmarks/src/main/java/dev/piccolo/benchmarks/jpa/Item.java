package dev.piccolo.benchmarks.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code bench_item}, the table the benchmark runner seeds. */
@Entity
@Table(name = "bench_item")
public class Item {

    @Id
    private Integer id;

    private String name;

    protected Item() {
    }

    public Integer getId() {
        return id;
    }

    public String getName() {
        return name;
    }
}
