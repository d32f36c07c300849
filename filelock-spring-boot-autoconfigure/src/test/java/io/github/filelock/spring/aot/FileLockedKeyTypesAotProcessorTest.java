package io.github.filelock.spring.aot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.aop.LockKeyRoot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

/**
 * Runs Spring's AOT processing on a context whose beans have {@code @FileLocked} methods, as the build of a native
 * image does, and checks the hints it generates. The processor and the registrar come from aot.factories.
 */
class FileLockedKeyTypesAotProcessorTest {

    record Owner(String id) {
    }

    record Tag(String label) {
    }

    record Document(long id, Owner owner) {
    }

    /** A JavaBean rather than a record: SpEL finds getTitle() for #report.title. */
    public static final class Report {
        public String getTitle() {
            return "t";
        }
    }

    record Unkeyed(String value) {
    }

    record ThroughInterface(String value) {
    }

    interface Publishing {
        @FileLocked(name = "publish", key = "#item.value")
        void publish(ThroughInterface item);
    }

    static class Documents implements Publishing {

        @FileLocked(name = "doc", key = "#doc.owner.id")
        public void save(Document doc, List<Tag> tags, Map<String, Report> reports) {
        }

        @FileLocked(name = "all")
        public void rebuild(Unkeyed settings) {
        }

        @Override
        public void publish(ThroughInterface item) {
        }
    }

    static RuntimeHints hints;

    @BeforeAll
    static void processAheadOfTime() {
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.registerBean(Documents.class);
            DefaultGenerationContext generation = new DefaultGenerationContext(
                    new ClassNameGenerator(ClassName.get(FileLockedKeyTypesAotProcessorTest.class)),
                    new InMemoryGeneratedFiles());
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            hints = generation.getRuntimeHints();
        }
    }

    final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    @Test
    void theKeyedParameterAndWhatItsAccessorsReturnCanBeNavigated() {
        assertThat(reflection.onMethodInvocation(Document.class, "owner")).accepts(hints);
        assertThat(reflection.onMethodInvocation(Document.class, "id")).accepts(hints);
        assertThat(reflection.onMethodInvocation(Owner.class, "id")).accepts(hints);
    }

    @Test
    void elementTypesOfGenericParametersAreRegistered() {
        assertThat(reflection.onMethodInvocation(Tag.class, "label")).accepts(hints);
        assertThat(reflection.onMethodInvocation(Report.class, "getTitle")).accepts(hints);
    }

    @Test
    void anAnnotationOnTheInterfaceMethodCounts() {
        assertThat(reflection.onMethodInvocation(ThroughInterface.class, "value")).accepts(hints);
    }

    @Test
    void unkeyedMethodsEvaluateNoExpressionAndGetNoHints() {
        assertThat(reflection.onType(Unkeyed.class)).rejects(hints);
    }

    @Test
    void theRegistrarIsAppliedFromAotFactories() {
        assertThat(reflection.onMethodInvocation(LockKeyRoot.class, "getArgs")).accepts(hints);
    }
}
