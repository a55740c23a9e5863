package dev.piccolo.ecosystem.jpa;

import java.util.Optional;

import dev.piccolo.engine.UseNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.annotation.Transactional;

/** A Spring Data JPA / Hibernate application, second-level and Spring caches off (the defaults). */
@SpringBootConfiguration
@EnableAutoConfiguration
public class JpaApplication {

    @Bean
    BookService bookService(BookRepository books) {
        return new BookService(books);
    }

    /** A service that reads through the primary's repository inside a replica transaction. */
    public static class BookService {

        private final BookRepository books;

        BookService(BookRepository books) {
            this.books = books;
        }

        @UseNode("read_replica_1")
        @Transactional(readOnly = true)
        public Optional<Book> findOnReplica(Long id) {
            return books.findById(id);
        }

        @UseNode("read_replica_1")
        @Transactional(readOnly = true)
        public Integer replicaPortInTransaction() {
            return books.serverPort();
        }
    }
}
