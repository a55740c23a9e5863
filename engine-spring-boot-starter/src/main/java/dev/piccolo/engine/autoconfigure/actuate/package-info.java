/**
 * Actuator endpoint support: masking of the engine's secrets.
 */
package dev.piccolo.engine.autoconfigure.actuate;
