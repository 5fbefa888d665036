package io.focus.core.testing;

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
 * Marks a test class (or method) that compares with the recordings of real Jitsi in {@code ../shared/fixtures}: it is
 * reported as skipped, with the reason, when they are not beside the checkout (a fresh clone); CI always has them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresRecordings.Condition.class)
public @interface RequiresRecordings {
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String shared = System.getProperty(Fixtures.PROPERTY);
            Path dir = shared == null || shared.isBlank() ? null : Path.of(shared, "fixtures");
            if (dir != null && Files.isDirectory(dir.resolve("real-jitsi")) && Files.isDirectory(dir.resolve("real-call"))) {
                return ConditionEvaluationResult.enabled("recordings at " + dir);
            }
            return ConditionEvaluationResult.disabled("skipped: the recordings of real Jitsi are absent ("
                    + Fixtures.PROPERTY + "=" + shared + "; ../shared is not beside this checkout)");
        }
    }
}
