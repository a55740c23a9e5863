/**
 * Actuator health of the engine's nodes.
 */
package dev.piccolo.engine.autoconfigure.health;
