/**
 * Ahead-of-time (GraalVM native image) hints.
 */
package dev.piccolo.engine.autoconfigure.aot;
