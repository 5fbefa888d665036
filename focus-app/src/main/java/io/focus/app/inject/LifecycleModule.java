package io.focus.app.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.focus.app.http.HttpApi;
import java.io.IOException;

/**
 * The ordered list of {@link Managed} services: started in binding order, stopped in reverse. Bind the XMPP
 * connections, brewery watcher and health doctor here, before HTTP (so HTTP stops first and starts last).
 */
public final class LifecycleModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(FocusLifecycle.class);
        bind(HttpService.class);
        Multibinder<Managed> services = Multibinder.newSetBinder(binder(), Managed.class);
        services.addBinding().to(HttpService.class);
    }

    /** The REST server as a managed service. */
    @Singleton
    public static final class HttpService implements Managed {
        private final HttpApi http;

        @Inject
        public HttpService(HttpApi http) {
            this.http = http;
        }

        @Override public String name() { return "REST API"; }
        @Override public void start() throws IOException { http.start(); }
        @Override public void stop() { http.stop(); }
    }
}
