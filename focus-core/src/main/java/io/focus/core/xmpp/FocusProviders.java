package io.focus.core.xmpp;

import org.jivesoftware.smack.provider.ProviderManager;

/**
 * Registers a Smack provider for every element the focus reads. Call once before the first connection; without
 * it custom elements arrive as {@code StandardExtensionElement} / {@code UnparsedIQ}.
 */
public final class FocusProviders {
    private static volatile boolean registered;

    private FocusProviders() {}

    public static synchronized void registerAll() {
        if (registered) {
            return;
        }
        ProviderManager.addExtensionProvider(ColibriStatsExtension.ELEMENT, ColibriStatsExtension.NAMESPACE,
                new ColibriStatsProvider());
        ProviderManager.addIQProvider(HealthCheckIQ.ELEMENT, HealthCheckIQ.NAMESPACE, new HealthCheckIQProvider());
        registered = true;
    }
}
