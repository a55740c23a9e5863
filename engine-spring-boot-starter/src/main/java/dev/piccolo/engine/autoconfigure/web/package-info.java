/**
 * Servlet web applications: each HTTP client is a causal session for read-your-writes.
 */
@NullMarked
package dev.piccolo.engine.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
