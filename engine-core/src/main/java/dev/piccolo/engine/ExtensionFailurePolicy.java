package dev.piccolo.engine;

/**
 * What the engine does when an extension cannot be created for a reason other than privileges.
 *
 * @since 0.1
 */
public enum ExtensionFailurePolicy {

    /** Fail start-up with an {@link ExtensionException} (the default). */
    FAIL,

    /** Log a warning and go on. */
    WARN
}
