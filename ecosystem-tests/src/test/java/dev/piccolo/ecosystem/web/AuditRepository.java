package dev.piccolo.ecosystem.web;

import org.springframework.data.jpa.repository.JpaRepository;

/** Audit entries. */
public interface AuditRepository extends JpaRepository<AuditEntry, Long> {
}
