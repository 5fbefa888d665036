package io.focus.app.inject;

import com.google.inject.AbstractModule;

/** Keywhiz-style strict injector: explicit bindings, {@code @Inject} constructors, no circular proxies. */
public final class StrictModule extends AbstractModule {
    @Override
    protected void configure() {
        binder().requireAtInjectOnConstructors();
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        binder().requireExactBindingAnnotations();
    }
}
