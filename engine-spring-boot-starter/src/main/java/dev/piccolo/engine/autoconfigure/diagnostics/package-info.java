/**
 * Failure analyzers that turn the engine's start-up failures into a description and the property to set.
 */
package dev.piccolo.engine.autoconfigure.diagnostics;
