package dev.piccolo.engine.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The servers a DNS name resolves to, all on one port: each address a member (a Kubernetes headless
 * service, a Consul or Route 53 name with several records). The JVM's DNS cache decides how fresh an answer
 * is ({@code networkaddress.cache.ttl}, 30 seconds by default); a name behind a single address that moves,
 * such as an Aurora reader endpoint, is better served as one node whose host is the name.
 *
 * @since 0.3
 */
public final class DnsMembers implements MemberSource {

    private final String name;

    private final int port;

    /**
     * Creates the source.
     *
     * @param name the DNS name
     * @param port the port of every server it resolves to
     */
    public DnsMembers(String name, int port) {
        this.name = name;
        this.port = port;
    }

    @Override
    public List<DiscoveredMember> members() throws IOException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        }
        catch (UnknownHostException ex) {
            throw new IOException("DNS name '" + name + "' does not resolve", ex);
        }
        return Arrays.stream(addresses)
                .map(InetAddress::getHostAddress)
                .distinct()
                .map(address -> new DiscoveredMember(address + ":" + port, address, port, true))
                .toList();
    }

    @Override
    public String toString() {
        return "DNS name " + name + " (port " + port + ")";
    }
}
