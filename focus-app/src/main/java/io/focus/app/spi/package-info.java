/**
 * What the app needs from code other modules will provide: the conference code ({@link EndpointMover},
 * {@link ConferenceRequestHandler}, {@link ConferenceStats}) and the XMPP connection manager ({@link XmppStatus}).
 * These types depend only on the JDK so they can move to {@code focus-core} unchanged if the implementing code
 * lives there (focus-core cannot depend on focus-app); until then an adapter in the app's {@code WiringModule}
 * binds them.
 */
package io.focus.app.spi;
