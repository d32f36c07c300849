package io.github.filelock.spring.aot;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.core.ResolvableType;

/**
 * Registers the types a SpEL key can navigate from its roots: public methods (getters, record accessors, any
 * call such as {@code #doc.id()}) and public fields, following accessor results, field types and generics a few
 * steps deep. JDK types are registered but not followed: their members are not application data.
 */
final class KeyReachableTypes {

    /** {@code #doc.owner.team.id}: deeper paths are rare, and each step multiplies the hints. */
    static final int MAX_DEPTH = 4;

    private final ReflectionHints hints;
    private final Set<Class<?>> seen = new HashSet<>();

    KeyReachableTypes(ReflectionHints hints) {
        this.hints = hints;
    }

    void register(Iterable<ResolvableType> roots) {
        roots.forEach(root -> visit(root, 0));
    }

    private void visit(ResolvableType type, int depth) {
        if (type == ResolvableType.NONE || depth > MAX_DEPTH) {
            return;
        }
        for (ResolvableType generic : type.getGenerics()) {
            visit(generic, depth + 1);
        }
        if (type.isArray()) {
            visit(type.getComponentType(), depth);
            return;
        }
        Class<?> raw = type.resolve();
        if (raw == null || raw.isPrimitive() || raw == Object.class || !seen.add(raw)) {
            return;
        }
        hints.registerType(raw, MemberCategory.INVOKE_PUBLIC_METHODS, MemberCategory.ACCESS_PUBLIC_FIELDS);
        if (isJdk(raw)) {
            return;
        }
        Method[] methods;
        Field[] fields;
        try {
            methods = raw.getMethods();
            fields = raw.getFields();
        } catch (LinkageError e) {
            return; // a member names a class missing from the build's classpath: the type itself is registered
        }
        for (Method method : methods) {
            if (isAccessor(method)) {
                visit(ResolvableType.forMethodReturnType(method, raw), depth + 1);
            }
        }
        for (Field field : fields) {
            if (!Modifier.isStatic(field.getModifiers())) {
                visit(ResolvableType.forField(field, raw), depth + 1);
            }
        }
    }

    /** Excludes what the JDK declares (getClass, an enum's getDeclaringClass): not application data. */
    private static boolean isAccessor(Method method) {
        return method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                && method.getReturnType() != void.class && !isJdk(method.getDeclaringClass()) && !method.isBridge();
    }

    private static boolean isJdk(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.");
    }
}
