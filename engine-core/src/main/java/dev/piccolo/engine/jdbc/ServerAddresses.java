package dev.piccolo.engine.jdbc;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A server's {@code host:port} address in one form, so that what PostgreSQL reports of itself and what an
 * HA manager reports of its members compare as text.
 */
public final class ServerAddresses {

    private ServerAddresses() {
    }

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
    public static String of(String host, int port) throws UnknownHostException {
        return InetAddress.getByName(host).getHostAddress() + ":" + port;
    }

    /**
     * {@link #of(String, int)} of an address a server gave as {@code ip:port}; anything else stays as it is.
     *
     * @param serverAddress {@code ip:port} as PostgreSQL reports it
     * @return the address in the one form
     */
    public static String normalize(String serverAddress) {
        int colon = serverAddress.lastIndexOf(':');
        if (colon <= 0) {
            return serverAddress;
        }
        try {
            return of(serverAddress.substring(0, colon), Integer.parseInt(serverAddress.substring(colon + 1)));
        }
        catch (UnknownHostException | NumberFormatException ex) {
            return serverAddress;
        }
    }
}
