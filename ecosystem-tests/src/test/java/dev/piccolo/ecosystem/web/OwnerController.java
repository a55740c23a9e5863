package dev.piccolo.ecosystem.web;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** HTTP endpoints over the services; the {@code /ports} ones answer with the port of each server that served. */
@RestController
public class OwnerController {

    private final OwnerRepository owners;

    private final OwnerService ownerService;

    private final ReplicaReads replicaReads;

    private final ReportService reports;

    private final ServerPort port;

    OwnerController(OwnerRepository owners, OwnerService ownerService, ReplicaReads replicaReads,
            ReportService reports, ServerPort port) {
        this.owners = owners;
        this.ownerService = ownerService;
        this.replicaReads = replicaReads;
        this.reports = reports;
        this.port = port;
    }

    @PostMapping("/owners")
    public long create(@RequestParam String name) {
        return ownerService.create(name);
    }

    /** As a form post does: the new owner's page is where the browser goes next. */
    @PostMapping("/owners/new")
    public ResponseEntity<Void> createAndRedirect(@RequestParam String name) {
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/owners/" + ownerService.create(name)))
                .build();
    }

    @GetMapping("/owners/{id}")
    public ResponseEntity<String> find(@PathVariable long id) {
        return ResponseEntity.of(owners.findById(id).map(Owner::getName));
    }

    @PutMapping("/owners/{id}")
    public void rename(@PathVariable long id, @RequestParam String name) {
        ownerService.rename(id, name);
    }

    @GetMapping("/ports/primary-then-replica")
    public int[] primaryThenReplica() {
        return new int[] { port.get(), replicaReads.inTransaction(), port.get() };
    }

    @PostMapping("/ports/replica-then-write")
    public int[] replicaThenWrite() {
        return new int[] { replicaReads.inTransaction(), ownerService.createAndTellPort("after replica"), port.get() };
    }

    @GetMapping("/ports/report-with-audit")
    public int[] reportWithAudit() {
        return reports.reportWithAudit();
    }

    @PostMapping("/ports/write-then-replica-outside")
    public int[] writeThenReplicaOutside() {
        return ownerService.writeThenReplicaOutsideTransaction();
    }

    @GetMapping("/ports/primary-transaction-calling-replica")
    public int[] primaryTransactionCallingReplica() {
        return ownerService.primaryTransactionCallingReplica();
    }
}
