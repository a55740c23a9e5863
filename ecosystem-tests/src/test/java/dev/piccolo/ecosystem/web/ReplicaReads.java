package dev.piccolo.ecosystem.web;

import dev.piccolo.engine.UseNode;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Reads on the replica, each with a different transaction setting. */
@Service
@UseNode("read_replica_1")
public class ReplicaReads {

    private final ServerPort port;

    ReplicaReads(ServerPort port) {
        this.port = port;
    }

    @Transactional(readOnly = true)
    public int inTransaction() {
        return port.get();
    }

    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public int outsideTransaction() {
        return port.get();
    }

    /** No transaction of its own: joins whatever transaction the caller has open. */
    public int joiningCaller() {
        return port.get();
    }
}
