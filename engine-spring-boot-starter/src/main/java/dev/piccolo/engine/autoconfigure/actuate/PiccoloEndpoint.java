package dev.piccolo.engine.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.piccolo.engine.NodeConfig;
import dev.piccolo.engine.NodeConfigurationException;
import dev.piccolo.engine.PostgresEngine;
import dev.piccolo.engine.UnknownNodeException;
import dev.piccolo.engine.autoconfigure.NodeInheritance;
import dev.piccolo.engine.jdbc.ConnectionUrls;
import dev.piccolo.engine.jdbc.ServerAddresses;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code piccolo} endpoint: every node and group as routing sees it now and the latest routing decisions
 * ({@code GET /actuator/piccolo}); and, for an operator, a node taken out of rotation and put back, an extra
 * node added or removed ({@code POST}/{@code DELETE /actuator/piccolo/<node>}).
 *
 * <p>Writes are off by default ({@link Access#READ_ONLY}: turn them on with
 * {@code management.endpoint.piccolo.access=unrestricted}), and when on, each needs a caller in one of the
 * write roles ({@code piccolo.db.endpoint.write-roles}, {@code PICCOLO_ADMIN} by default), as Spring
 * Security or the servlet container authenticated it: without one the answer is 403.
 *
 * @since 0.3
 */
@Endpoint(id = "piccolo", defaultAccess = Access.READ_ONLY)
public class PiccoloEndpoint {

    /** What a write asks for. */
    enum Action {
        OUT_OF_ROTATION, IN_ROTATION, ADD
    }

    private final PostgresEngine engine;

    private final Set<String> writeRoles;

    /**
     * Creates the endpoint.
     *
     * @param engine the engine it shows and changes
     * @param writeRoles the roles of which a caller needs one to write
     */
    public PiccoloEndpoint(PostgresEngine engine, Set<String> writeRoles) {
        this.engine = engine;
        this.writeRoles = Set.copyOf(writeRoles);
    }

    /**
     * Shows every node and group, and the latest routing decisions.
     *
     * @return the topology
     */
    @ReadOperation
    public TopologyDescriptor topology() {
        return TopologyDescriptor.of(engine);
    }

    /**
     * Shows one node.
     *
     * @param node the node's name
     * @return the node, or {@code null} (404) when the engine has no such node
     */
    @ReadOperation
    public TopologyDescriptor.@Nullable NodeDescriptor node(@Selector String node) {
        try {
            return TopologyDescriptor.NodeDescriptor.of(engine, engine.node(node));
        }
        catch (UnknownNodeException ex) {
            return null;
        }
    }

    /**
     * Changes a node: {@code out-of-rotation}, {@code in-rotation}, or {@code add} an extra node on
     * {@code host} and {@code port}, with every other setting of the main node's (database, user, password,
     * TLS, pool) but its choice of servers ({@code targetServerType}), read-only when {@code readOnly} is
     * true. The body is flat JSON, as every actuator write takes:
     * {@code {"action": "add", "host": "10.0.0.9", "port": 5432, "readOnly": true}}.
     *
     * @param node the node's name
     * @param action {@code out-of-rotation}, {@code in-rotation} or {@code add}
     * @param host for {@code add}: the server's host, the main node's when not given
     * @param port for {@code add}: the server's port, the main node's when not given
     * @param readOnly for {@code add}: whether its connections are read-only
     * @param security who asks
     * @return 200 with the node, 400 with why the change is refused, 403 without a write role, 404 for no
     * such node
     */
    @WriteOperation
    public WebEndpointResponse<Object> change(@Selector String node, String action,
            @Nullable String host, @Nullable Integer port, @Nullable Boolean readOnly, SecurityContext security) {
        WebEndpointResponse<Object> refused = refusedFor(security);
        if (refused != null) {
            return refused;
        }
        Action asked;
        try {
            asked = Action.valueOf(action.strip().replace('-', '_').toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Unknown action '" + action + "'; use "
                    + "out-of-rotation, in-rotation or add.");
        }
        try {
            switch (asked) {
                case OUT_OF_ROTATION -> engine.takeOutOfRotation(node);
                case IN_ROTATION -> engine.putBackInRotation(node);
                case ADD -> {
                    if (host == null && port == null) {
                        return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Adding node '" + node + "' needs its "
                                + "host, its port or both.");
                    }
                    if (!ServerAddresses.isPlainAddress(host != null ? host : "localhost", port != null ? port : 1)) {
                        return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Adding node '" + node + "' needs a "
                                + "plain host name or IP address and a port from 1 to 65535.");
                    }
                    engine.addNode(node, added(host, port, Boolean.TRUE.equals(readOnly)));
                }
            }
            return new WebEndpointResponse<>(TopologyDescriptor.NodeDescriptor.of(engine, engine.node(node)));
        }
        catch (UnknownNodeException ex) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, ex.getMessage());
        }
        catch (NodeConfigurationException ex) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage());
        }
    }

    /**
     * Removes an extra node: it takes no new work at once, and its pool drains in the background.
     *
     * @param node the node's name
     * @param security who asks
     * @return 204, 400 with why the removal is refused, 403 without a write role, 404 for no such node
     */
    @DeleteOperation
    public WebEndpointResponse<Object> remove(@Selector String node, SecurityContext security) {
        WebEndpointResponse<Object> refused = refusedFor(security);
        if (refused != null) {
            return refused;
        }
        try {
            engine.removeNode(node);
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
        }
        catch (UnknownNodeException ex) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, ex.getMessage());
        }
        catch (NodeConfigurationException ex) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage());
        }
    }

    /** A node made like the main node, on the host and port given; no extension is created on it. */
    private NodeConfig added(@Nullable String host, @Nullable Integer port, boolean readOnly) {
        Map<String, String> place = new LinkedHashMap<>();
        if (host != null) {
            place.put(ConnectionUrls.HOST, host);
        }
        if (port != null) {
            place.put(ConnectionUrls.PORT, Integer.toString(port));
        }
        NodeConfig main = engine.node(PostgresEngine.PRIMARY).config();
        return main.withConfig(NodeInheritance.inherited(ConnectionUrls.withoutServerChoice(main.config()), place))
                .extensions(List.of())
                .readOnly(readOnly)
                .build();
    }

    private @Nullable WebEndpointResponse<Object> refusedFor(SecurityContext security) {
        if (security.getPrincipal() != null && writeRoles.stream().anyMatch(security::isUserInRole)) {
            return null;
        }
        return error(403, "Changing the engine's nodes needs an authenticated caller in one of the roles "
                + writeRoles + " (piccolo.db.endpoint.write-roles).");
    }

    private static WebEndpointResponse<Object> error(int status, @Nullable String message) {
        return new WebEndpointResponse<>(Map.of("status", status, "error", String.valueOf(message)), status);
    }
}
