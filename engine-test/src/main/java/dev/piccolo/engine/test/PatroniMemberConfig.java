package dev.piccolo.engine.test;

import java.nio.file.Path;

/**
 * One member of a {@link PatroniCluster}: its ports, its files, and the YAML configuration its
 * Patroni reads.
 *
 * <p>The settings are the ones that make failover fast and repeatable on one machine: a 10 s leader
 * key, a 1 s loop, no restart in place of a crashed primary ({@code primary_start_timeout: 0}, so a
 * {@code kill -9} of the postmaster fails over), {@code pg_rewind} for the old primary (with
 * {@code wal_log_hints}), and base backups that do not wait for a spread checkpoint.
 *
 * @param name the member's name, e.g. {@code member1}
 * @param postgresPort the port its PostgreSQL listens on
 * @param restPort the port of its Patroni REST API
 * @param etcdClientPort the etcd client port every member uses
 * @param directory the member's own folder, owned by the servers' OS user
 */
record PatroniMemberConfig(String name, int postgresPort, int restPort, int etcdClientPort, Path directory) {

    /** The replication user Patroni creates on the first leader. */
    static final String REPLICATION_USER = "replicator";

    /** Patroni's {@code scope}: the cluster's name in etcd, which belongs to this cluster alone. */
    static final String SCOPE = "piccolo";

    Path configFile() {
        return directory.resolve("patroni.yml");
    }

    Path dataDirectory() {
        return directory.resolve("data");
    }

    Path logFile() {
        return directory.resolve("patroni.log");
    }

    Path pidFile() {
        return directory.resolve("patroni.pid");
    }

    Path postmasterPidFile() {
        return dataDirectory().resolve("postmaster.pid");
    }

    String restUrl() {
        return "http://" + LoopbackPorts.LOOPBACK + ":" + restPort;
    }

    /**
     * Returns the configuration file's text.
     *
     * @param binDirectory the PostgreSQL programs Patroni runs
     * @param credentials the superuser and its password (the replication user gets the same password)
     * @return YAML for {@code patroni <file>} and {@code patronictl -c <file>}
     */
    String yaml(Path binDirectory, ClusterCredentials credentials) {
        String loopback = LoopbackPorts.LOOPBACK;
        // The password is hexadecimal and paths come from createTempDirectory: nothing needs escaping
        // inside single quotes. Booleans PostgreSQL reads are quoted so that YAML keeps them as text.
        return """
                scope: %1$s
                name: %2$s
                log:
                  level: INFO
                restapi:
                  listen: %3$s:%4$d
                  connect_address: %3$s:%4$d
                etcd3:
                  hosts: %3$s:%5$d
                bootstrap:
                  dcs:
                    ttl: 10
                    loop_wait: 1
                    retry_timeout: 4
                    maximum_lag_on_failover: 1048576
                    primary_start_timeout: 0
                    postgresql:
                      use_pg_rewind: true
                      use_slots: true
                      parameters:
                        wal_level: replica
                        wal_log_hints: 'on'
                        hot_standby: 'on'
                        max_connections: 300
                        max_wal_senders: 10
                        max_replication_slots: 10
                        wal_keep_size: 128MB
                  initdb:
                    - encoding: UTF8
                    - locale: C
                postgresql:
                  listen: %3$s:%6$d
                  connect_address: %3$s:%6$d
                  data_dir: '%7$s'
                  bin_dir: '%8$s'
                  pgpass: '%9$s'
                  authentication:
                    superuser:
                      username: %10$s
                      password: '%11$s'
                    replication:
                      username: %12$s
                      password: '%11$s'
                  pg_hba:
                    - host all all %3$s/32 scram-sha-256
                    - host replication all %3$s/32 scram-sha-256
                  parameters:
                    unix_socket_directories: '%13$s'
                    shared_buffers: 32MB
                    fsync: 'off'
                    hot_standby_feedback: 'on'
                    logging_collector: 'off'
                  basebackup:
                    - checkpoint: fast
                watchdog:
                  mode: 'off'
                """.formatted(SCOPE, name, loopback, restPort, etcdClientPort, postgresPort, dataDirectory(),
                binDirectory, directory.resolve("pgpass"), credentials.user(), credentials.password(),
                REPLICATION_USER, directory);
    }
}
