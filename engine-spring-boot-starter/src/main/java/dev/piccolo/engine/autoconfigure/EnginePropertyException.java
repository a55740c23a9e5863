package dev.piccolo.engine.autoconfigure;

import dev.piccolo.engine.ExplainedFailure;

/**
 * Thrown when a property only the starter reads ({@code spring.datasource.url}, a
 * {@code service-connection}, the form of {@code node-groups}) cannot work. It names the property,
 * says what is wrong and gives one remedy; it never repeats a value that may hold a password.
 */
class EnginePropertyException extends IllegalStateException implements ExplainedFailure {

    private static final long serialVersionUID = 1L;

    private final String property;

    private final String problem;

    private final String remedy;

    EnginePropertyException(String property, String problem, String remedy) {
        super(problem + " " + remedy);
        this.property = property;
        this.problem = problem;
        this.remedy = remedy;
    }

    String getProperty() {
        return property;
    }

    @Override
    public String getProblem() {
        return problem;
    }

    @Override
    public String getRemedy() {
        return remedy;
    }
}
