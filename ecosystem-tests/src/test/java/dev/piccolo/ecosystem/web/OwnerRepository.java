package dev.piccolo.ecosystem.web;

import java.util.Optional;

import dev.piccolo.engine.UseNode;

import org.springframework.data.jpa.repository.JpaRepository;

/** Reads by id on the replica, as users annotate a repository read method; everything else on the primary. */
public interface OwnerRepository extends JpaRepository<Owner, Long> {

    @Override
    @UseNode("read_replica_1")
    Optional<Owner> findById(Long id);
}
