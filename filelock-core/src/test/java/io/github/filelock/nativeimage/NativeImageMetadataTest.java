package io.github.filelock.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Callback;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import io.github.filelock.FileLockRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The GraalVM metadata core ships for its JNA bindings. What must be listed is derived from the compiled classes
 * (native methods, Structures, Callbacks, Library interfaces), so a new or moved binding fails here until the
 * JSON names it, and a stale entry fails as well.
 */
class NativeImageMetadataTest {

    static final String METADATA =
            "META-INF/native-image/io.github.filelock/filelock-core/reachability-metadata.json";

    /** The keys of reachability-metadata-schema-v1.2.0.json; native-image refuses others. */
    static final Set<String> TOP_LEVEL_KEYS = Set.of("comment", "reflection", "resources", "foreign");
    static final Set<String> REFLECTION_KEYS = Set.of("reason", "condition", "type", "methods", "fields",
            "allDeclaredMethods", "allDeclaredFields", "allDeclaredConstructors", "allPublicMethods",
            "allPublicFields", "allPublicConstructors", "unsafeAllocated", "serializable", "jniAccessible");

    static JsonNode metadata;
    static Map<String, JsonNode> reflection;
    static List<Class<?>> coreClasses;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = FileLockRegistry.class.getClassLoader().getResourceAsStream(METADATA)) {
            assertThat(in).as(METADATA + " on the classpath").isNotNull();
            metadata = JsonMapper.builder().build().readTree(in);
        }
        reflection = new LinkedHashMap<>();
        for (JsonNode entry : metadata.path("reflection")) {
            String key = entry.path("type").isString() ? entry.path("type").stringValue()
                    : entry.path("type").toString();
            assertThat(reflection.put(key, entry)).as("one entry per type: " + key).isNull();
        }
        coreClasses = compiledCoreClasses();
    }

    @Test
    void usesOnlyTheKeysOfTheSchema() {
        assertThat(metadata.propertyNames()).isSubsetOf(TOP_LEVEL_KEYS);
        for (JsonNode entry : metadata.path("reflection")) {
            assertThat(entry.propertyNames()).as(entry.toString()).isSubsetOf(REFLECTION_KEYS).contains("type");
        }
        for (JsonNode entry : metadata.path("resources")) {
            assertThat(entry.propertyNames()).as(entry.toString()).isSubsetOf("reason", "condition", "module", "glob");
        }
    }

    @Test
    void everyClassWithNativeMethodsIsReflectableAndBoundThroughJni() {
        List<Class<?>> bindings = coreClasses.stream().filter(NativeImageMetadataTest::hasNativeMethods).toList();
        assertThat(bindings).as("core has direct-mapped JNA bindings; the scan found none, so it is broken")
                .isNotEmpty();
        for (Class<?> binding : bindings) {
            JsonNode entry = entryFor(binding);
            // Native.register finds the natives with getDeclaredMethods and binds them with RegisterNatives.
            assertThat(entry.path("allDeclaredMethods").asBoolean()).as(binding + " allDeclaredMethods").isTrue();
            assertThat(entry.path("jniAccessible").asBoolean()).as(binding + " jniAccessible").isTrue();
        }
    }

    @Test
    void everyJnaTypeTheBindingsPassOrReturnIsJniAccessible() {
        Set<Class<?>> jnaTypes = new LinkedHashSet<>();
        for (Method method : nativeMethods()) {
            jnaTypes.add(method.getReturnType());
            jnaTypes.addAll(List.of(method.getParameterTypes()));
        }
        jnaTypes.removeIf(type -> !type.getName().startsWith("com.sun.jna."));
        for (Class<?> type : jnaTypes) {
            assertThat(entryFor(type).path("jniAccessible").asBoolean()).as(type + " jniAccessible").isTrue();
        }
    }

    @Test
    void lastErrorExceptionCanBeThrownFromNativeCode() {
        boolean declared = nativeMethods().stream()
                .anyMatch(method -> List.of(method.getExceptionTypes()).contains(LastErrorException.class));
        assertThat(declared).as("the bindings declare LastErrorException; the scan found none, so it is broken")
                .isTrue();
        JsonNode entry = entryFor(LastErrorException.class);
        assertThat(entry.path("jniAccessible").asBoolean()).isTrue();
        // jnidispatch throws it with ThrowNew, which calls the (String) constructor.
        assertThat(entry.path("methods").toString()).contains("\"<init>\"").contains("\"java.lang.String\"");
    }

    @Test
    void structuresCallbacksAndLibraryInterfacesAreListed() {
        for (Class<?> type : coreClasses) {
            if (Structure.class.isAssignableFrom(type)) {
                JsonNode entry = entryFor(type);
                assertThat(entry.path("allDeclaredFields").asBoolean()).as(type + " fields").isTrue();
                assertThat(entry.path("allDeclaredConstructors").asBoolean()).as(type + " constructors").isTrue();
                assertThat(entry.path("jniAccessible").asBoolean()).as(type + " jniAccessible").isTrue();
            }
            if (Callback.class.isAssignableFrom(type)) {
                assertThat(entryFor(type).path("jniAccessible").asBoolean()).as(type + " jniAccessible").isTrue();
            }
            if (Library.class.isAssignableFrom(type) && type.isInterface()) {
                assertThat(reflection).as(type + " is mapped through a JDK proxy")
                        .containsKey("{\"proxy\":[\"" + type.getName() + "\"]}");
            }
        }
    }

    @Test
    void everyListedTypeAndConditionExists() {
        List<String> missing = new ArrayList<>();
        for (JsonNode entry : metadata.path("reflection")) {
            Stream.of(entry.path("type"), entry.path("condition").path("typeReached"))
                    .filter(JsonNode::isString).map(JsonNode::stringValue)
                    .filter(name -> !exists(name)).forEach(missing::add);
        }
        for (JsonNode entry : metadata.path("resources")) {
            String reached = entry.path("condition").path("typeReached").asString("");
            if (!reached.isEmpty() && !exists(reached)) {
                missing.add(reached);
            }
        }
        assertThat(missing).as("entries naming classes that do not exist (moved or renamed?)").isEmpty();
    }

    @Test
    void theDispatchLibraryOfEveryFlockPlatformIsIncludedAndExists() {
        List<String> globs = new ArrayList<>();
        metadata.path("resources").forEach(entry -> globs.add(entry.path("glob").stringValue()));
        // The platforms FlockLockProvider supports (Platform.current()); Windows uses FileChannel, not JNA.
        assertThat(globs).contains("com/sun/jna/linux-x86-64/libjnidispatch.so",
                "com/sun/jna/linux-aarch64/libjnidispatch.so", "com/sun/jna/darwin-x86-64/libjnidispatch.jnilib",
                "com/sun/jna/darwin-aarch64/libjnidispatch.jnilib");
        for (String glob : globs) {
            assertThat(Native.class.getClassLoader().getResource(glob)).as(glob + " in the JNA jar").isNotNull();
        }
    }

    private static JsonNode entryFor(Class<?> type) {
        assertThat(reflection).as(type.getName() + " listed in " + METADATA).containsKey(type.getName());
        return reflection.get(type.getName());
    }

    private static List<Method> nativeMethods() {
        return coreClasses.stream().flatMap(type -> Stream.of(type.getDeclaredMethods()))
                .filter(method -> Modifier.isNative(method.getModifiers())).toList();
    }

    private static boolean hasNativeMethods(Class<?> type) {
        return Stream.of(type.getDeclaredMethods()).anyMatch(method -> Modifier.isNative(method.getModifiers()));
    }

    private static boolean exists(String name) {
        try {
            Class.forName(name, false, NativeImageMetadataTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Every class compiled from core's main sources, loaded without running static initialisers. */
    private static List<Class<?>> compiledCoreClasses() throws IOException, URISyntaxException {
        Path root = Path.of(FileLockRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(root).as("core's classes as a directory (run through Maven)").isDirectory();
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace(".class", "").replace(file.getFileSystem()
                        .getSeparator(), ".");
                if (!name.endsWith("package-info") && !name.endsWith("module-info")) {
                    classes.add(loadQuietly(name));
                }
            }
        }
        return classes;
    }

    private static Class<?> loadQuietly(String name) {
        try {
            return Class.forName(name, false, NativeImageMetadataTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
