package dev.piccolo.ecosystem.jdbc;

import java.util.List;

import dev.piccolo.engine.UseNode;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** Writes on the primary; the annotated methods read from the replica. */
public interface PersonRepository extends ListCrudRepository<Person, Long> {

    @UseNode("read_replica_1")
    List<Person> findByName(String name);

    @Query("SELECT inet_server_port()")
    Integer serverPort();

    @UseNode("read_replica_1")
    @Query("SELECT inet_server_port()")
    Integer replicaServerPort();
}
