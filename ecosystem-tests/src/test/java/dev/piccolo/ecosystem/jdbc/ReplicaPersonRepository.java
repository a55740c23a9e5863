package dev.piccolo.ecosystem.jdbc;

import dev.piccolo.engine.UseNode;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** Every method, inherited ones included, on the replica. */
@UseNode("read_replica_1")
public interface ReplicaPersonRepository extends ListCrudRepository<Person, Long> {

    @Query("SELECT inet_server_port()")
    Integer serverPort();
}
