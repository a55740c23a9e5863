package dev.piccolo.ecosystem.jpa;

import dev.piccolo.engine.UseNode;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Every method, {@code findById} inherited from the base interface included, on the replica. */
@UseNode("read_replica_1")
public interface ReplicaBookRepository extends JpaRepository<Book, Long> {

    @Query(value = "SELECT inet_server_port()", nativeQuery = true)
    Integer serverPort();
}
