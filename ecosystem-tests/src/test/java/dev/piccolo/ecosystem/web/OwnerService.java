package dev.piccolo.ecosystem.web;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Writes on the primary; some call replica work or an audit write of their own from inside. */
@Service
public class OwnerService {

    private final OwnerRepository owners;

    private final AuditRepository audits;

    private final ReplicaReads replicaReads;

    private final ServerPort port;

    OwnerService(OwnerRepository owners, AuditRepository audits, ReplicaReads replicaReads, ServerPort port) {
        this.owners = owners;
        this.audits = audits;
        this.replicaReads = replicaReads;
        this.port = port;
    }

    @Transactional
    public long create(String name) {
        return owners.save(new Owner(name)).getId();
    }

    /** Loads through the replica-annotated {@code findById}, inside this write transaction. */
    @Transactional
    public void rename(long id, String name) {
        owners.findById(id).orElseThrow().setName(name);
    }

    @Transactional
    public int createAndTellPort(String name) {
        owners.save(new Owner(name));
        return port.get();
    }

    @Transactional
    public int[] writeThenReplicaOutsideTransaction() {
        owners.save(new Owner("before NOT_SUPPORTED"));
        return new int[] { port.get(), replicaReads.outsideTransaction(), port.get() };
    }

    @Transactional
    public int[] primaryTransactionCallingReplica() {
        return new int[] { port.get(), replicaReads.joiningCaller() };
    }

    /** An audit write in a transaction of its own, whatever the caller has open. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public int audit(String action) {
        audits.save(new AuditEntry(action));
        return port.get();
    }
}
