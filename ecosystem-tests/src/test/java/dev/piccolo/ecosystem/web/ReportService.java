package dev.piccolo.ecosystem.web;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A read-only report that records an audit entry, as reports often do. */
@Service
public class ReportService {

    private final OwnerService owners;

    private final ServerPort port;

    ReportService(OwnerService owners, ServerPort port) {
        this.owners = owners;
        this.port = port;
    }

    @Transactional(readOnly = true)
    public int[] reportWithAudit() {
        return new int[] { port.get(), owners.audit("report"), port.get() };
    }
}
