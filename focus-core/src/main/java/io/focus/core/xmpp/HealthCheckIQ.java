package io.focus.core.xmpp;

import org.jivesoftware.smack.packet.IQ;

/** {@code <iq type="get"><healthcheck xmlns="http://jitsi.org/protocol/healthcheck"/></iq>}: a bridge health check. */
public final class HealthCheckIQ extends IQ {
    public static final String ELEMENT = "healthcheck";
    public static final String NAMESPACE = "http://jitsi.org/protocol/healthcheck";

    public HealthCheckIQ() {
        super(ELEMENT, NAMESPACE);
        setType(Type.get);
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.setEmptyElement();
        return xml;
    }
}
