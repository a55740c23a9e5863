package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.NodeStatus;
import dev.piccolo.engine.ReadYourWritesOutcome;
import dev.piccolo.engine.RoutingListener;

import org.springframework.beans.factory.ObjectProvider;

/** Hands each routing event to every {@link RoutingListener} bean, in order. */
final class CompositeRoutingListener implements RoutingListener {

    private final ObjectProvider<RoutingListener> listeners;

    CompositeRoutingListener(ObjectProvider<RoutingListener> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void onFallback(String requested, String fallback) {
        listeners.orderedStream().forEach(listener -> listener.onFallback(requested, fallback));
    }

    @Override
    public void onJoin(String requested, String node) {
        listeners.orderedStream().forEach(listener -> listener.onJoin(requested, node));
    }

    @Override
    public void onNodeAdded(String node) {
        listeners.orderedStream().forEach(listener -> listener.onNodeAdded(node));
    }

    @Override
    public void onNodeRemoved(String node) {
        listeners.orderedStream().forEach(listener -> listener.onNodeRemoved(node));
    }

    @Override
    public void onStatusChange(String node, NodeStatus status) {
        listeners.orderedStream().forEach(listener -> listener.onStatusChange(node, status));
    }

    @Override
    public void onReadYourWrites(String node, ReadYourWritesOutcome outcome) {
        listeners.orderedStream().forEach(listener -> listener.onReadYourWrites(node, outcome));
    }
}
