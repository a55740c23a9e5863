package dev.piccolo.ecosystem.adoption.h2;

import java.util.List;

import dev.piccolo.engine.UseNode;

import org.springframework.data.jpa.repository.JpaRepository;

/** Visits, read on the replica where there is one. */
public interface VisitRepository extends JpaRepository<Visit, Long> {

    @Override
    @UseNode("read_replica_1")
    List<Visit> findAll();
}
