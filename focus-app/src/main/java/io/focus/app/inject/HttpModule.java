package io.focus.app.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.typesafe.config.Config;
import io.focus.app.config.DrainSettings;
import io.focus.app.http.AboutRoutes;
import io.focus.app.http.AdminAuth;
import io.focus.app.http.BridgeRoutes;
import io.focus.app.http.ConferenceRequestRoutes;
import io.focus.app.http.ConfigRoutes;
import io.focus.app.http.DebugRoutes;
import io.focus.app.http.DebugStateRoutes;
import io.focus.app.http.HttpApi;
import io.focus.app.http.MoveRoutes;
import io.focus.app.http.PinRoutes;
import io.focus.app.http.RestSettings;
import io.focus.app.http.Routes;
import io.focus.app.http.StatsRoutes;

/** The REST API: settings, the admin token, the server and every group of routes. */
public final class HttpModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(AdminAuth.class);
        bind(HttpApi.class);
        Multibinder<Routes> routes = Multibinder.newSetBinder(binder(), Routes.class);
        routes.addBinding().to(AboutRoutes.class);
        routes.addBinding().to(StatsRoutes.class);
        routes.addBinding().to(BridgeRoutes.class);
        routes.addBinding().to(MoveRoutes.class);
        routes.addBinding().to(PinRoutes.class);
        routes.addBinding().to(DebugRoutes.class);
        routes.addBinding().to(DebugStateRoutes.class);
        routes.addBinding().to(ConfigRoutes.class);
        routes.addBinding().to(ConferenceRequestRoutes.class);
        bind(AboutRoutes.class);
        bind(StatsRoutes.class);
        bind(BridgeRoutes.class);
        bind(MoveRoutes.class);
        bind(PinRoutes.class);
        bind(DebugRoutes.class);
        bind(DebugStateRoutes.class);
        bind(ConfigRoutes.class);
        bind(ConferenceRequestRoutes.class);
    }

    @Provides
    @Singleton
    RestSettings restSettings(Config config) {
        return RestSettings.from(config);
    }

    @Provides
    @Singleton
    DrainSettings drainSettings(Config config) {
        return DrainSettings.fromConfig(config);
    }
}
