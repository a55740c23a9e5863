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
}
