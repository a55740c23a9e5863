package dev.piccolo.ecosystem.readme;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

import dev.piccolo.engine.ConsistencyToken;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.ReadYourWrites;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * README's hand-over of a read-your-writes token through a message: the producer sends the token of its
 * write with the message, the consumer's work sees that write wherever it reads. A queue stands in for the
 * broker, and {@code shipping} for the consumer's own work.
 */
final class MessagingExample {

    /** A message as a broker carries it: a body and headers. */
    record Message(String order, Map<String, String> headers) {
    }

    private final PostgresEngine engine;

    private final JdbcTemplate jdbc;

    private final BlockingQueue<Message> queue;

    private final Consumer<String> shipping;

    MessagingExample(PostgresEngine engine, BlockingQueue<Message> queue, Consumer<String> shipping) {
        this.engine = engine;
        this.jdbc = new JdbcTemplate(engine.getDataSource());
        this.queue = queue;
        this.shipping = shipping;
    }

    void send(String order) {
        jdbc.update("INSERT INTO readme_order (id) VALUES (?)", order);   // committed: auto-commit
        // tag::token-producer[]
        // The producer, after the commit (inside the transaction the token would not cover it yet):
        ConsistencyToken written = engine.readYourWrites().lastWrite();   // null when nothing was written
        queue.add(new Message(order, written != null ? Map.of(ReadYourWrites.HEADER, written.toString())
                : Map.of()));
        // end::token-producer[]
    }

    // tag::token-consumer[]
    void on(Message message) {                                          // the consumer
        engine.readYourWrites().runAfter(message.headers().get(ReadYourWrites.HEADER),
                () -> shipping.accept(message.order()));
    }
    // end::token-consumer[]
}
