package io.focus.app.inject;

import com.google.inject.AbstractModule;
import io.focus.app.admin.PinRegistry;
import io.focus.app.admin.SelectionLog;
import io.focus.app.spi.HealthStatus;
import io.focus.app.status.FocusHealth;

/** What the app itself implements for operators: version pins, the selection log, the focus's health. */
public final class AdminModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(PinRegistry.class);
        bind(SelectionLog.class);
        bind(FocusHealth.class);
        bind(HealthStatus.class).to(FocusHealth.class);
    }
}
