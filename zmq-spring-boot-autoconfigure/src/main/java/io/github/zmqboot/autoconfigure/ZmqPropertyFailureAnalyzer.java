package io.github.zmqboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidZmqPropertyException} anywhere in a startup failure into Spring Boot's "APPLICATION
 * FAILED TO START" report naming the property, its value, the reason and the action.
 */
class ZmqPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidZmqPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidZmqPropertyException cause) {
        String description = String.format("Invalid ZeroMQ configuration:%n%n    Property: %s%n    Value:    %s%n    Reason:   %s%n",
                cause.property(), cause.value(), cause.reason());
        return new FailureAnalysis(description, cause.action(), cause);
    }
}
