package io.focus.app.metrics;

/** The focus's version, as the package's manifest says it ({@code dev} from a checkout). */
public final class FocusVersion {
    private FocusVersion() {}

    public static String implementationVersion() {
        String v = FocusVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
