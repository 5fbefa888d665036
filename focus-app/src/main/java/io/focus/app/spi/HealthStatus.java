package io.focus.app.spi;

/** The focus's own health, served at {@code /about/health} (200 "OK", else 500 with the reason). */
public interface HealthStatus {
    record Result(boolean healthy, String reason) {
        public static final Result OK = new Result(true, "OK");

        public static Result unhealthy(String reason) { return new Result(false, reason); }
    }

    Result check();
}
