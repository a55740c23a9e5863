package dev.piccolo.sample;

/**
 * Which server answered a piece of work, as the server itself reports it.
 *
 * @param node the node the work was routed to
 * @param serverAddress {@code inet_server_addr()}
 * @param serverPort {@code inet_server_port()}
 * @param inRecovery {@code pg_is_in_recovery()}: {@code true} on a replica
 */
public record ServedBy(String node, String serverAddress, int serverPort, boolean inRecovery) {
}
