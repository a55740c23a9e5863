package dev.piccolo.ecosystem.web;

import jakarta.persistence.EntityManager;

import org.springframework.stereotype.Component;

/** Asks the server that answers the current JPA work for its port, through the shared EntityManager. */
@Component
public class ServerPort {

    private final EntityManager entityManager;

    ServerPort(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public int get() {
        return ((Number) entityManager.createNativeQuery("SELECT inet_server_port()").getSingleResult()).intValue();
    }
}
