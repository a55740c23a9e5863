package dev.piccolo.ecosystem.jpa;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Writes and reads on the primary. */
public interface BookRepository extends JpaRepository<Book, Long> {

    @Query(value = "SELECT inet_server_port()", nativeQuery = true)
    Integer serverPort();
}
