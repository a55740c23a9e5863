package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.EngineSetting;
import dev.piccolo.engine.ExtensionException;
import dev.piccolo.engine.PostgresEngine;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an extension that could not be created at start-up and how to proceed. */
class ExtensionFailureAnalyzer extends AbstractFailureAnalyzer<ExtensionException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ExtensionException cause) {
        Throwable reason = cause.getCause() != null ? cause.getCause() : cause;
        return new FailureAnalysis("The Piccolo engine could not create extension \"" + cause.getExtension()
                + "\" on node '" + cause.getNode() + "': " + reason.getMessage(),
                "Consider the following:\n\tInstall the extension on that server (for most, the postgresql-contrib "
                        + "package), or remove it from " + PropertyNames.of(cause.getNode(), EngineSetting.EXTENSIONS)
                        + ", or set " + PropertyNames.of(PostgresEngine.PRIMARY,
                                EngineSetting.EXTENSION_FAILURE_POLICY) + "=warn to start with a warning.", cause);
    }
}
