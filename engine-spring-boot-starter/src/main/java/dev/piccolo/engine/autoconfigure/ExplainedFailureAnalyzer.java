package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.ExplainedFailure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * The one layout of the engine's explained failures at start-up: a headline and the problem as the
 * description, the remedy as the action. The failure classifies itself; the analyzers only say what kind of
 * failure it is and, where the engine names a setting, put the property in front of the remedy.
 *
 * @param <T> the failure analyzed
 */
abstract class ExplainedFailureAnalyzer<T extends Throwable & ExplainedFailure> extends AbstractFailureAnalyzer<T> {

    @Override
    protected final FailureAnalysis analyze(Throwable rootFailure, T cause) {
        return new FailureAnalysis(headline() + cause.getProblem(), "Consider the following:\n\t" + action(cause),
                cause);
    }

    /** What kind of failure it is, ending in a colon and a space, e.g. "The Piccolo engine cannot start: ". */
    abstract String headline();

    /** What to do: the failure's remedy unless the analyzer knows more to say. */
    String action(T cause) {
        return cause.getRemedy();
    }
}
