package dev.piccolo.benchmarks.jpa;

import java.util.Optional;

import dev.piccolo.engine.UseNode;

import org.springframework.data.jpa.repository.JpaRepository;

/** Items; lookups by name read from the replica. */
public interface ItemRepository extends JpaRepository<Item, Integer> {

    @UseNode("read_replica_1")
    Optional<Item> findByName(String name);

    @Override
    @UseNode("read_replica_1")
    Optional<Item> findById(Integer id);
}
