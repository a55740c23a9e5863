package dev.piccolo.engine.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on the loopback address, where every server of a cluster listens; also the port of
 * a server that is not there, for tests of an unreachable node.
 *
 * @since 0.2
 */
public final class LoopbackPorts {

    static final String LOOPBACK = "127.0.0.1";

    private LoopbackPorts() {
    }

    /**
     * Returns a port that was free a moment ago; the server that binds it next wins any race.
     *
     * @return a free port on {@value #LOOPBACK}
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot find a free port on " + LOOPBACK, ex);
        }
    }

    /**
     * Returns whether a server could bind {@code port} now. A port from {@link #free()} lies in the
     * kernel's range for the local ports of client sockets, so any outgoing connection may take it
     * before the server that was meant to bind it does.
     *
     * @param port the port to check
     * @return {@code true} when nothing holds it on {@value #LOOPBACK}
     */
    static boolean isFree(int port) {
        try {
            new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK)).close();
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }
}
