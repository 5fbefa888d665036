package io.focus.app.wiring;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.focus.app.spi.ConferenceRequest;
import io.focus.app.spi.ConferenceRequestHandler;
import io.focus.app.spi.ConferenceStats;
import io.focus.app.spi.EndpointMover;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placeholder until the conference code is bound in {@link WiringModule}: there are no conferences, so there is
 * nothing to count or move, and conference requests are refused with 503.
 */
@Singleton
public final class UnwiredConferences implements ConferenceStats, EndpointMover, ConferenceRequestHandler {
    private static final Logger log = LoggerFactory.getLogger(UnwiredConferences.class);

    @Inject
    public UnwiredConferences() {
        log.warn("No conference manager wired (WiringModule binds UnwiredConferences): conference requests are refused");
    }

    @Override public Counts counts() { return Counts.ZERO; }
    @Override public List<ConferenceInfo> conferences() { return List.of(); }

    @Override
    public MoveResult moveEndpoint(String conference, String endpointId, String bridgeId) throws NotFoundException {
        throw new NotFoundException("Conference not found");
    }

    @Override
    public MoveResult moveEndpoints(String bridgeId, String conference, int count) throws NotFoundException {
        if (conference != null) {
            throw new NotFoundException("Conference not found");
        }
        return MoveResult.NONE;
    }

    @Override public MoveResult moveFraction(String bridgeId, double fraction) { return MoveResult.NONE; }

    @Override
    public ConferenceRequest handle(ConferenceRequest request, String token) throws RequestException {
        throw new RequestException(RequestException.Condition.SERVICE_UNAVAILABLE, "conferences are not wired yet");
    }
}
