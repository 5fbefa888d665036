package io.focus.app.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test that replays the recorded real calls of {@code ${focus.shared.dir}/fixtures/real-call/} (surefire sets the
 * property to {@code <checkout>/../shared}): reported as skipped, with the reason, when they are not there.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresRealCalls.Condition.class)
@interface RequiresRealCalls {
    String PROPERTY = "focus.shared.dir";

    final class Condition implements ExecutionCondition {
        /** The directory of the recorded calls (the caller has been enabled by this condition). */
        static Path dir() {
            return Path.of(System.getProperty(PROPERTY), "fixtures", "real-call");
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String shared = System.getProperty(PROPERTY);
            if (shared != null && !shared.isBlank() && Files.isDirectory(dir())) {
                return ConditionEvaluationResult.enabled("recordings at " + dir());
            }
            return ConditionEvaluationResult.disabled("skipped: the recorded real calls are absent (" + PROPERTY
                    + "=" + shared + "; ../shared is not beside this checkout)");
        }
    }
}
