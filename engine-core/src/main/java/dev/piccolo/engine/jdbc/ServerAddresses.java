package dev.piccolo.engine.jdbc;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A server's {@code host:port} address in one form, so that what PostgreSQL reports of itself and what an
 * HA manager reports of its members compare as text.
 */
public final class ServerAddresses {

    /** A host name or an IPv4 address, or an IPv6 address with or without brackets: nothing a URL would read more into. */
    private static final Pattern PLAIN_HOST = Pattern.compile("[A-Za-z0-9._-]{1,253}|\\[?[0-9A-Fa-f:.]{2,45}]?");

    private static final int MAX_PORT = 65535;

    private ServerAddresses() {
    }

    /**
     * Whether a host and port from outside the configuration (an HA manager's answer, an operator's request)
     * name a server and nothing more: the engine puts the host into a JDBC URL, where a {@code /}, {@code ?} or
     * {@code &} would add parameters (another host, {@code sslmode=disable}) that win over the node's settings.
     *
     * @param host the host
     * @param port the port
     * @return {@code true} for a plain host name or IP address and a port from 1 to 65535
     */
    public static boolean isPlainAddress(String host, int port) {
        return PLAIN_HOST.matcher(host).matches() && port >= 1 && port <= MAX_PORT;
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
