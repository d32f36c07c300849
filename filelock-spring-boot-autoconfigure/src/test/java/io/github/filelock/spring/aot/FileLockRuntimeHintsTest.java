package io.github.filelock.spring.aot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.actuate.LockBreaks;
import io.github.filelock.spring.actuate.LockReports;
import io.github.filelock.spring.aop.LockKeyRoot;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

/** The starter's own reflection, checked member by member from the classes themselves. */
class FileLockRuntimeHintsTest {

    final RuntimeHints hints = registered();

    @Test
    void aotFactoriesRegisterTheRegistrar() {
        assertThat(AotServices.factories(getClass().getClassLoader()).load(RuntimeHintsRegistrar.class))
                .hasAtLeastOneElementOfType(FileLockRuntimeHints.class);
    }

    @Test
    void everyGetterOfTheKeyRootCanBeInvoked() {
        List<Method> getters = Stream.of(LockKeyRoot.class.getDeclaredMethods())
                .filter(method -> Modifier.isPublic(method.getModifiers())).toList();
        assertThat(getters).isNotEmpty();
        getters.forEach(getter -> assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(getter))
                .as(getter.toString()).accepts(hints));
    }

    @Test
    void everyRecordTheLocksEndpointReturnsCanBeWrittenAsJson() {
        List<Class<?>> records = Stream.of(LockReports.class.getDeclaredClasses()).filter(Class::isRecord).toList();
        assertThat(records).hasSizeGreaterThanOrEqualTo(6);
        for (Class<?> record : records) {
            for (RecordComponent component : record.getRecordComponents()) {
                assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
                        .as(component.getAccessor().toString()).accepts(hints);
            }
        }
    }

    @Test
    void everyRecordTheOperatorBreakReturnsCanBeWrittenAsJson() {
        // DELETE /actuator/locks/{name} returns WebEndpointResponse<?>, whose body type Boot cannot infer for AOT.
        List<Class<?>> records = Stream.of(LockBreaks.class.getDeclaredClasses()).filter(Class::isRecord).toList();
        assertThat(records).hasSize(2);
        for (Class<?> record : records) {
            for (RecordComponent component : record.getRecordComponents()) {
                assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
                        .as(component.getAccessor().toString()).accepts(hints);
            }
        }
    }

    @Test
    void theAnnotationCanBeReadAndSynthesized() {
        for (Method attribute : FileLocked.class.getDeclaredMethods()) {
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(attribute)).as(attribute.toString())
                    .accepts(hints);
        }
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(FileLocked.class)).accepts(hints);
    }

    @Test
    void classesLookedUpByNameAreRegistered() {
        assertThat(FileLockRuntimeHints.LOADED_BY_NAME).isNotEmpty();
        for (String name : FileLockRuntimeHints.LOADED_BY_NAME) {
            assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(name))).as(name).accepts(hints);
        }
    }

    @Test
    void commonKeyValuesCanBeAskedForTheirOwnToString() throws NoSuchMethodException {
        for (Class<?> type : List.of(String.class, Long.class, Integer.class, java.util.UUID.class)) {
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(type.getMethod("toString")))
                    .as(type.getName()).accepts(hints);
        }
    }

    private static RuntimeHints registered() {
        RuntimeHints hints = new RuntimeHints();
        new FileLockRuntimeHints().registerHints(hints, FileLockRuntimeHintsTest.class.getClassLoader());
        return hints;
    }
}
