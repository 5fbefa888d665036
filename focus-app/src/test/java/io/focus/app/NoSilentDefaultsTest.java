package io.focus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * No interface in the focus's production code may have a {@code default} method that does nothing.
 *
 * <p>Why: {@code ColibriBackend.updateEndpoint} once had a default body {@code return completedFuture(null)}; a
 * production wrapper forgot to delegate it, the compiler could not tell, and no call through the focus ever carried
 * media while every test stayed green. A method without a body makes every implementation, wrapper included, decide.
 *
 * <p>The rule, read from each default method's bytecode (ArchUnit cannot see method bodies): a default is
 * <em>silent</em> when its body only returns nothing, {@code null}, a primitive or string constant, a static field
 * (e.g. an enum constant or {@code Boolean.FALSE}), an empty collection / {@code Optional} / {@code Stream}, or a
 * completed future — i.e. it loads no local ({@code this} or an argument), calls nothing but the factories in
 * {@link #EMPTY_FACTORIES} and the no-argument constructors of {@code java.util} collections, and has no branch,
 * throw, field write or lambda. A default that computes from other methods (it calls them) or that throws is not
 * silent.
 *
 * <p>Exempt: interfaces whose simple name ends in {@code Listener}: an observer that ignores an event it does not care
 * about is the point of those defaults. Any other exemption goes into {@link #EXEMPT} with its reason (none today).
 */
class NoSilentDefaultsTest {

    /** Static calls a silent default may make: each returns an empty or completed value. Owner -> method names. */
    private static final Map<String, Set<String>> EMPTY_FACTORIES = Map.of(
            "java/util/concurrent/CompletableFuture", Set.of("completedFuture", "completedStage"),
            "java/util/Optional", Set.of("empty", "ofNullable"),
            "java/util/OptionalInt", Set.of("empty"),
            "java/util/OptionalLong", Set.of("empty"),
            "java/util/OptionalDouble", Set.of("empty"),
            "java/util/Collections", Set.of("emptyList", "emptySet", "emptyMap", "emptySortedSet", "emptySortedMap",
                    "emptyNavigableSet", "emptyNavigableMap", "emptyIterator", "emptyListIterator"),
            "java/util/stream/Stream", Set.of("empty", "of"),
            "java/util/List", Set.of("of"),
            "java/util/Set", Set.of("of"),
            "java/util/Map", Set.of("of"));

    /** Boxing of a constant ({@code Integer x() { return 0; }}) is still a constant. */
    private static final Set<String> BOXED = Set.of("java/lang/Boolean", "java/lang/Integer", "java/lang/Long",
            "java/lang/Short", "java/lang/Byte", "java/lang/Character", "java/lang/Float", "java/lang/Double");

    /** Silent defaults allowed anyway, "binary.Name.method" -> why. Keep it empty unless there is a real reason. */
    private static final Map<String, String> EXEMPT = Map.of();

    /** One class per production module, so a scan that silently found nothing fails. */
    private static final List<String> ONE_CLASS_PER_MODULE = List.of(
            "io.focus.core.xmpp.XmlNode",                   // focus-core
            "io.focus.conference.ColibriBackend",           // focus-conference
            "io.focus.selection.StrategyLookup",            // focus-selection
            "io.focus.health.HealthDoctor",                 // focus-health
            "io.focus.app.spi.XmppStatus",                  // focus-app
            "io.focus.sim.bridge.SimBridge");               // focus-sim

    @Test
    void noProductionInterfaceHasASilentDefault() throws Exception {
        Map<String, byte[]> classes = productionClasses();
        for (String expected : ONE_CLASS_PER_MODULE) {
            assertTrue(classes.containsKey(expected), "the scan did not see " + expected + "; it saw "
                    + classes.size() + " classes");
        }
        Set<String> flagged = new TreeSet<>();
        classes.values().forEach(bytes -> flagged.addAll(silentDefaults(bytes)));
        Set<String> staleExemptions = new TreeSet<>(EXEMPT.keySet());
        staleExemptions.removeAll(flagged);
        flagged.removeAll(EXEMPT.keySet());
        assertEquals(Set.of(), flagged, "interface default methods that do nothing: make them abstract and implement"
                + " them in every implementation (a wrapper that forgets to delegate then does not compile)");
        assertEquals(Set.of(), staleExemptions, "exemptions for methods that are no longer silent defaults");
    }

    @Test
    void theCheckFlagsSilentDefaultsAndNotRealOnes() throws IOException {
        assertEquals(Set.of(
                        name(SilentDefaultsFixture.class, "update"),
                        name(SilentDefaultsFixture.class, "ping"),
                        name(SilentDefaultsFixture.class, "ready"),
                        name(SilentDefaultsFixture.class, "count"),
                        name(SilentDefaultsFixture.class, "boxedCount"),
                        name(SilentDefaultsFixture.class, "label"),
                        name(SilentDefaultsFixture.class, "nothing"),
                        name(SilentDefaultsFixture.class, "owner"),
                        name(SilentDefaultsFixture.class, "ids"),
                        name(SilentDefaultsFixture.class, "names"),
                        name(SilentDefaultsFixture.class, "fresh"),
                        name(SilentDefaultsFixture.class, "mode")),
                silentDefaults(bytes(SilentDefaultsFixture.class)));
        assertEquals(Set.of(), silentDefaults(bytes(SilentDefaultsFixture.EventListener.class)),
                "a *Listener interface is exempt");
    }

    /** The flagged default methods of one class file, as "binary.Name.method"; none unless it is an interface. */
    static Set<String> silentDefaults(byte[] classFile) {
        Set<String> flagged = new TreeSet<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            private String className;
            private boolean checked;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                className = name.replace('/', '.');
                String simpleName = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('$')) + 1);
                checked = (access & Opcodes.ACC_INTERFACE) != 0 && (access & Opcodes.ACC_ANNOTATION) == 0
                        && !simpleName.endsWith("Listener");
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                int notDefault = Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE
                        | Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE;
                if (!checked || (access & notDefault) != 0 || name.startsWith("<")) {
                    return null;
                }
                return new BodyReader(() -> flagged.add(className + "." + name));
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return flagged;
    }

    /** Reads one method body; calls {@code onSilent} at the end when nothing in it does anything. */
    private static final class BodyReader extends MethodVisitor {
        private final Runnable onSilent;
        private boolean doesSomething;

        BodyReader(Runnable onSilent) {
            super(Opcodes.ASM9);
            this.onSilent = onSilent;
        }

        @Override public void visitInsn(int opcode) {
            // constants, returns, dup/pop: harmless; anything else (arithmetic on nothing, athrow, monitors) counts
            boolean harmless = (opcode >= Opcodes.ACONST_NULL && opcode <= Opcodes.DCONST_1)
                    || (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN)
                    || opcode == Opcodes.DUP || opcode == Opcodes.POP;
            doesSomething |= !harmless;
        }
        @Override public void visitIntInsn(int opcode, int operand) {
            doesSomething |= opcode == Opcodes.NEWARRAY;
        }
        @Override public void visitLdcInsn(Object value) {
            doesSomething |= value instanceof Handle; // a method handle constant is not a plain value
        }
        @Override public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            doesSomething |= opcode != Opcodes.GETSTATIC;
        }
        @Override public void visitTypeInsn(int opcode, String type) {
            doesSomething |= !(opcode == Opcodes.CHECKCAST || (opcode == Opcodes.NEW && type.startsWith("java/util/")));
        }
        @Override public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                boolean isInterface) {
            boolean emptyFactory = opcode == Opcodes.INVOKESTATIC
                    && EMPTY_FACTORIES.getOrDefault(owner, Set.of()).contains(name);
            boolean boxing = opcode == Opcodes.INVOKESTATIC && BOXED.contains(owner) && name.equals("valueOf");
            boolean emptyCollection = opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")
                    && descriptor.equals("()V") && owner.startsWith("java/util/");
            doesSomething |= !(emptyFactory || boxing || emptyCollection);
        }
        // reading this or an argument, a branch, a switch, a lambda, a new array: the body does something
        @Override public void visitVarInsn(int opcode, int varIndex) { doesSomething = true; }
        @Override public void visitIincInsn(int varIndex, int increment) { doesSomething = true; }
        @Override public void visitJumpInsn(int opcode, Label label) { doesSomething = true; }
        @Override public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            doesSomething = true;
        }
        @Override public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) { doesSomething = true; }
        @Override public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... args) {
            doesSomething = true;
        }
        @Override public void visitMultiANewArrayInsn(String descriptor, int numDimensions) { doesSomething = true; }
        @Override public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            doesSomething = true;
        }

        @Override public void visitEnd() {
            if (!doesSomething) {
                onSilent.run();
            }
        }
    }

    /**
     * The main output of every focus module on the test class path: every root that holds {@code io/focus}, except
     * test output ({@code test-classes} directories, {@code -tests.jar}s). Binary class name -> class file.
     */
    private static Map<String, byte[]> productionClasses() throws IOException, URISyntaxException {
        Map<String, byte[]> classes = new TreeMap<>();
        for (URL root : Collections.list(NoSilentDefaultsTest.class.getClassLoader().getResources("io/focus"))) {
            String where = root.toString();
            if (where.contains("/test-classes/") || where.contains("-tests.jar!")) {
                continue;
            }
            if (root.getProtocol().equals("file")) {
                Path dir = Path.of(root.toURI());
                Path base = dir.getParent().getParent();
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                        classes.put(binaryName(base.relativize(f).toString()), Files.readAllBytes(f));
                    }
                }
            } else if (root.getProtocol().equals("jar")) {
                try (JarFile jar = new JarFile(Path.of(((JarURLConnection) root.openConnection()).getJarFileURL()
                        .toURI()).toFile())) {
                    for (JarEntry e : Collections.list(jar.entries())) {
                        if (e.getName().startsWith("io/focus/") && e.getName().endsWith(".class")) {
                            try (InputStream in = jar.getInputStream(e)) {
                                classes.put(binaryName(e.getName()), in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                throw new IllegalStateException("cannot scan class path root " + root);
            }
        }
        return classes;
    }

    private static String binaryName(String classFilePath) {
        return classFilePath.replace('\\', '/').replaceAll("\\.class$", "").replace('/', '.');
    }

    private static byte[] bytes(Class<?> c) throws IOException {
        try (InputStream in = c.getClassLoader().getResourceAsStream(c.getName().replace('.', '/') + ".class")) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("no class file for " + c));
            }
            return in.readAllBytes();
        }
    }

    private static String name(Class<?> c, String method) {
        return c.getName() + "." + method;
    }
}
