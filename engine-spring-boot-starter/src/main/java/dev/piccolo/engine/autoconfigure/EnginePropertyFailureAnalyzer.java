package dev.piccolo.engine.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a starter property that cannot work and its one remedy. */
class EnginePropertyFailureAnalyzer extends AbstractFailureAnalyzer<EnginePropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EnginePropertyException cause) {
        return new FailureAnalysis("The Piccolo engine cannot start: " + cause.getProblem(),
                "Consider the following:\n\t" + cause.getRemedy(), cause);
    }
}
