package io.focus.app.http;

/** A group of endpoints; {@link HttpApi} registers every bound group. */
public interface Routes {
    void register(RouteTable routes);
}
