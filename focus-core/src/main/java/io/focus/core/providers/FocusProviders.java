package io.focus.core.providers;

import io.focus.core.colibri.stats.ColibriStatsExtension;
import io.focus.core.colibri.stats.ColibriStatsProvider;
import io.focus.core.xmpp.ConferenceIq;
import io.focus.core.xmpp.ConferenceIqProvider;
import io.focus.core.xmpp.HealthCheckIQ;
import io.focus.core.xmpp.HealthCheckIQProvider;
import io.focus.core.xmpp.RefusedIQ;
import io.focus.core.xmpp.StanzaHygiene;

import io.focus.core.colibri.Colibri2Error;
import io.focus.core.colibri.Colibri2ErrorProvider;
import io.focus.core.colibri.ConferenceModifiedIQ;
import io.focus.core.colibri.ConferenceModifiedIQProvider;
import io.focus.core.colibri.ConferenceModifyIQ;
import io.focus.core.colibri.ConferenceModifyIQProvider;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.JingleIQProvider;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.provider.IqProvider;
import org.jivesoftware.smack.provider.ProviderManager;

/**
 * Registers a Smack provider for every element the focus reads. Call once before the first connection; without
 * it custom elements arrive as {@code StandardExtensionElement} / {@code UnparsedIQ}. Idempotent.
 *
 * <p>Every provider turns malformed content into a {@code SmackParsingException} with a message (or a documented
 * default), never another exception: Smack's reader thread only survives those. IQ providers are wrapped
 * ({@link RefusedIQ#tolerant}) so a refused IQ still reaches the connection with its envelope and gets a
 * {@code bad-request}; the focus's connections also log and count whatever else cannot be parsed
 * ({@link StanzaHygiene}: Smack's default callback rethrows and closes the connection).
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
        iq(HealthCheckIQ.ELEMENT, HealthCheckIQ.NAMESPACE, new HealthCheckIQProvider());
        iq(ConferenceIq.ELEMENT, ConferenceIq.NAMESPACE, new ConferenceIqProvider());
        iq(ConferenceModifyIQ.ELEMENT, ConferenceModifyIQ.NAMESPACE, new ConferenceModifyIQProvider());
        iq(ConferenceModifiedIQ.ELEMENT, ConferenceModifiedIQ.NAMESPACE, new ConferenceModifiedIQProvider());
        ProviderManager.addExtensionProvider(Colibri2Error.ELEMENT, Colibri2Error.NAMESPACE,
                new Colibri2ErrorProvider());
        iq(JingleIQ.ELEMENT, JingleIQ.NAMESPACE, new JingleIQProvider());
        registered = true;
    }

    private static void iq(String element, String namespace, IqProvider<? extends IQ> provider) {
        ProviderManager.addIQProvider(element, namespace, RefusedIQ.tolerant(element, namespace, provider));
    }
}
