/**
 * Micrometer metrics of the engine's pools.
 */
package dev.piccolo.engine.autoconfigure.metrics;
