package dev.piccolo.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One run of one server: its address as the server itself reports it ({@code inet_server_addr()} and
 * port, or the node's name over a Unix socket) and when its postmaster started. A restarted standby
 * replays again from its last restart point, so what was seen of an earlier run says nothing of this one.
 *
 * @param address {@code host:port} as the server sees itself
 * @param startedAt when its postmaster started
 */
record ServerId(String address, Instant startedAt) {

    /**
     * The one form of a server's {@code host:port} address, whoever gives it: the IP address as Java
     * writes it, so that PostgreSQL's {@code host(inet_server_addr())} ({@code ::1}) and an HA manager's
     * member address ({@code 0:0:0:0:0:0:0:1}, or a host name, resolved) compare as text.
     *
     * @param host an IP address or a host name
     * @param port the port
     * @return {@code ip:port}
     * @throws UnknownHostException when a host name does not resolve
     */
    static String address(String host, int port) throws UnknownHostException {
        return InetAddress.getByName(host).getHostAddress() + ":" + port;
    }

    /** {@link #address(String, int)} of an address a server gave as {@code ip:port}; {@code null} stays. */
    static @Nullable String address(@Nullable String serverAddress) {
        int colon = serverAddress != null ? serverAddress.lastIndexOf(':') : -1;
        if (colon <= 0) {
            return serverAddress;
        }
        try {
            return address(serverAddress.substring(0, colon), Integer.parseInt(serverAddress.substring(colon + 1)));
        }
        catch (UnknownHostException | NumberFormatException ex) {
            return serverAddress;
        }
    }
}
