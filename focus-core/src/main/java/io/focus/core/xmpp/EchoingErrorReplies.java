package io.focus.core.xmpp;

import org.jivesoftware.smack.iqrequest.IQRequestHandler;

/**
 * An IQ request handler of the focus's own whose error replies carry the request's payload back on purpose
 * ({@link IqErrors#reply}, as Jicofo's do): requests the focus's own providers parsed (the conference request, Jingle),
 * so the payload is written back as the focus reads it, and the fuzz test sends them. The focus's connection passes
 * the errors of such a handler on as they are; every other handler's error reply (Smack's managers', and any handler
 * without this mark) is sent with the error only ({@link IqErrors#withoutPayload}). Opting in, not out: a handler
 * nobody thought about cannot echo what Smack re-serialises.
 */
public interface EchoingErrorReplies extends IQRequestHandler {
}
