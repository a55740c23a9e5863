package dev.piccolo.engine.autoconfigure;

/** Explains a starter property that cannot work and its one remedy. */
class EnginePropertyFailureAnalyzer extends ExplainedFailureAnalyzer<EnginePropertyException> {

    @Override
    String headline() {
        return "The Piccolo engine cannot start: ";
    }
}
