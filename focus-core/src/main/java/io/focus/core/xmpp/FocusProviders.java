package io.focus.core.xmpp;

import io.focus.core.colibri.Colibri2Error;
import io.focus.core.colibri.Colibri2ErrorProvider;
import io.focus.core.colibri.ConferenceModifiedIQ;
import io.focus.core.colibri.ConferenceModifiedIQProvider;
import io.focus.core.colibri.ConferenceModifyIQ;
import io.focus.core.colibri.ConferenceModifyIQProvider;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.JingleIQProvider;
import org.jivesoftware.smack.provider.ProviderManager;

/**
 * Registers a Smack provider for every element the focus reads. Call once before the first connection; without
 * it custom elements arrive as {@code StandardExtensionElement} / {@code UnparsedIQ}. Idempotent.
 *
 * <p>Every provider turns malformed content into a {@code SmackParsingException} with a message (or a documented
 * default), never another exception: Smack's reader thread only survives those. Connections should also use a
 * logging {@code ParsingExceptionCallback} (Smack's default one rethrows and closes the connection).
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
        ProviderManager.addIQProvider(ConferenceIq.ELEMENT, ConferenceIq.NAMESPACE, new ConferenceIqProvider());
        ProviderManager.addIQProvider(ConferenceModifyIQ.ELEMENT, ConferenceModifyIQ.NAMESPACE,
                new ConferenceModifyIQProvider());
        ProviderManager.addIQProvider(ConferenceModifiedIQ.ELEMENT, ConferenceModifiedIQ.NAMESPACE,
                new ConferenceModifiedIQProvider());
        ProviderManager.addExtensionProvider(Colibri2Error.ELEMENT, Colibri2Error.NAMESPACE,
                new Colibri2ErrorProvider());
        ProviderManager.addIQProvider(JingleIQ.ELEMENT, JingleIQ.NAMESPACE, new JingleIQProvider());
        registered = true;
    }
}
