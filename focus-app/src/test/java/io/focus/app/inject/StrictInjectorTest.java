package io.focus.app.inject;

import static io.focus.app.testing.TestFiles.VALID;
import static io.focus.app.testing.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.DisableCircularProxiesOption;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.spi.RequireAtInjectOnConstructorsOption;
import com.google.inject.spi.RequireExactBindingAnnotationsOption;
import com.google.inject.spi.RequireExplicitBindingsOption;
import io.focus.app.FocusModules;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.ConfigLoader;
import io.focus.app.wiring.FocusConferences;
import io.focus.conference.ConferenceManager;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The injector is strict as Keywhiz sets it up ({@link StrictModule}): every constructor Guice calls carries
 * {@code @Inject}, every binding is explicit, a dependency cycle is an error instead of a proxy, and binding annotations
 * match exactly. Checked on the module list {@code Main} runs, without starting anything ({@link Stage#TOOL} validates
 * the whole graph but calls no constructor and no provider).
 */
class StrictInjectorTest {
    @TempDir Path dir;
    ConfigHolder holder;

    @BeforeEach
    void setUp() throws Exception {
        Path file = write(dir, "jicofo.conf", VALID);
        ConfigLoader loader = ConfigLoader.standard();
        holder = new ConfigHolder(loader.load(file), () -> loader.load(file));
    }

    @Test
    void theDaemonsModulesCarryEveryStrictOption() {
        Set<Class<?>> options = Elements.getElements(Stage.PRODUCTION, FocusModules.production(holder, Clock.systemUTC()))
                .stream().map(Element::getClass).collect(Collectors.toSet());
        for (Class<?> o : List.of(RequireAtInjectOnConstructorsOption.class, RequireExplicitBindingsOption.class,
                DisableCircularProxiesOption.class, RequireExactBindingAnnotationsOption.class)) {
            assertTrue(options.stream().anyMatch(o::isAssignableFrom), "missing " + o.getSimpleName());
        }
    }

    @Test
    void theDaemonsWholeGraphResolvesUnderTheStrictOptions() {
        Injector tool = assertDoesNotThrow(() -> Guice.createInjector(Stage.TOOL,
                FocusModules.production(holder, Clock.systemUTC())));
        // the conferences' collaborators are provided by ConferenceModule, not made by hand in FocusConferences
        assertTrue(tool.getExistingBinding(com.google.inject.Key.get(ConferenceManager.class)) != null);
        assertTrue(tool.getExistingBinding(com.google.inject.Key.get(FocusConferences.class)) != null);
    }

    /** A public no-argument constructor without {@code @Inject}: a lenient injector would call it. */
    public static final class Unannotated {
        public Unannotated() {}
    }

    @Test
    void aConstructorWithoutInjectFailsTheInjector() {
        Module bindsIt = new AbstractModule() {
            @Override protected void configure() { bind(Unannotated.class); }
        };
        CreationException e = assertThrows(CreationException.class,
                () -> Guice.createInjector(Stage.TOOL, with(FocusModules.production(holder, Clock.systemUTC()), bindsIt)));
        assertEquals(1, e.getErrorMessages().size(), e::getMessage);
        assertTrue(e.getMessage().contains("Unannotated") && e.getMessage().contains("@Inject"), e::getMessage);
        // the same binding without StrictModule is accepted: the failure above is the strict option's
        assertDoesNotThrow(() -> Guice.createInjector(Stage.TOOL, bindsIt));
    }

    public static final class NotBound {
        @Inject public NotBound() {}
    }

    @Test
    void aJustInTimeBindingIsRefused() {
        Injector injector = Guice.createInjector(new StrictModule());
        assertThrows(ConfigurationException.class, () -> injector.getInstance(NotBound.class));
        assertDoesNotThrow(() -> Guice.createInjector().getInstance(NotBound.class));
    }

    public interface Left {}

    public interface Right {}

    public static final class LeftImpl implements Left {
        @Inject public LeftImpl(Right r) {}
    }

    public static final class RightImpl implements Right {
        @Inject public RightImpl(Left l) {}
    }

    @Test
    void aDependencyCycleIsAnErrorNotAProxy() {
        Module cycle = new AbstractModule() {
            @Override protected void configure() {
                bind(Left.class).to(LeftImpl.class);
                bind(Right.class).to(RightImpl.class);
                bind(LeftImpl.class);
                bind(RightImpl.class);
            }
        };
        ProvisionException e = assertThrows(ProvisionException.class,
                () -> Guice.createInjector(new StrictModule(), cycle).getInstance(Left.class));
        assertTrue(e.getMessage().contains("circular"), e::getMessage);
        // without the option Guice would have handed RightImpl a proxy of Left
        assertDoesNotThrow(() -> Guice.createInjector(cycle).getInstance(Left.class));
    }

    private static List<Module> with(List<Module> modules, Module extra) {
        List<Module> all = new ArrayList<>(modules);
        all.add(extra);
        return all;
    }
}
