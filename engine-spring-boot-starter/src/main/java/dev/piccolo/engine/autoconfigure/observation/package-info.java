/**
 * Micrometer observation support: the node of JDBC work as a key-value.
 */
package dev.piccolo.engine.autoconfigure.observation;
