package io.focus.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.conference.ColibriBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Every method of {@link ColibriBackend} reaches the real backend through {@link StoppableBackend}. A wrapper that
 * forgot {@code updateEndpoint} once dropped every participant's transport and sources on the way to the bridge, and
 * no call ever carried media; this test fails for any method the wrapper does not pass on.
 */
class StoppableBackendDelegationTest {
    private final List<String> calls = new ArrayList<>();
    private final ColibriBackend recording = (ColibriBackend) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ColibriBackend.class}, (proxy, m, args) -> {
                if (m.getDeclaringClass() == Object.class) {
                    return switch (m.getName()) {
                        case "toString" -> "recording";
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> proxy == args[0];
                    };
                }
                calls.add(key(m));
                return new CompletableFuture<>();
            });

    static List<Method> backendMethods() {
        return Arrays.stream(ColibriBackend.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .toList();
    }

    private static Object[] dummyArgs(Method m) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            if (types[i] == boolean.class) {
                args[i] = Boolean.FALSE;
            } else if (types[i] == int.class) {
                args[i] = 0;
            }
        }
        return args;
    }

    private static String key(Method m) { return m.getName() + Arrays.toString(m.getParameterTypes()); }

    @Test
    void everyMethodIsPassedOn() {
        StoppableBackend backend = new StoppableBackend(recording);
        assertTrue(backendMethods().size() >= 10, "the interface has its methods: " + backendMethods());
        for (Method m : backendMethods()) {
            calls.clear();
            invoke(backend, m);
            assertEquals(List.of(key(m)), calls, "StoppableBackend must pass " + m + " to the real backend");
        }
    }

    @Test
    void onceStoppingOnlyExpiresAreHeldBack() {
        StoppableBackend backend = new StoppableBackend(recording);
        backend.keepConferencesOnBridges();
        for (Method m : backendMethods()) {
            calls.clear();
            invoke(backend, m);
            boolean expire = m.getName().startsWith("expire");
            assertEquals(expire, calls.isEmpty(), m + (expire ? " must be held back (calls stay on the bridges)"
                    : " must still reach the bridge while the focus stops"));
        }
    }

    private static void invoke(Object target, Method m) {
        try {
            m.invoke(target, dummyArgs(m));
        } catch (InvocationTargetException e) {
            throw new AssertionError(m + " threw", e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(m + " is not accessible", e);
        }
    }
}
