package dev.piccolo.engine;

import java.time.Instant;

/**
 * One run of one server: its address as the server itself reports it ({@code inet_server_addr()} and
 * port, or the node's name over a Unix socket) and when its postmaster started. A restarted standby
 * replays again from its last restart point, so what was seen of an earlier run says nothing of this one.
 *
 * @param address {@code host:port} as the server sees itself
 * @param startedAt when its postmaster started
 */
record ServerId(String address, Instant startedAt) {
}
