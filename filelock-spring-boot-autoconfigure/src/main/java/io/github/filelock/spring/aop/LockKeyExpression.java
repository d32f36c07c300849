package io.github.filelock.spring.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.BeanResolver;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * A parsed {@code @FileLocked(key = ...)} SpEL expression. Parsing happens once per method (at start-up, by
 * the validator); each call only evaluates it against that call's arguments.
 */
final class LockKeyExpression {

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();

    /** Variables every method has besides its parameter names: #root, #this, #p0/#a0... */
    private static final Pattern BUILT_IN_VARIABLE = Pattern.compile("root|this|[pa]\\d+");

    /** Whether a class's text identifies its value: not Object's {@code Type@hash}, and not an array's. */
    private static final ClassValue<Boolean> OWN_TO_STRING = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (type.isArray()) {
                return false;
            }
            if (type.isPrimitive()) {
                return true; // boxed on the way into SpEL: Integer, Long... have their own
            }
            try {
                return type.getMethod("toString").getDeclaringClass() != Object.class;
            } catch (NoSuchMethodException e) {
                return false; // interfaces: a value's own class is checked at call time
            }
        }
    };

    private final String source;
    private final Expression expression;
    private final ParameterNameDiscoverer parameterNames;

    private LockKeyExpression(String source, Expression expression, ParameterNameDiscoverer parameterNames) {
        this.source = source;
        this.expression = expression;
        this.parameterNames = parameterNames;
    }

    /**
     * Parses {@code source} and checks that every {@code #variable} it uses is a parameter of {@code method}
     * (when the parameter names are known), so a misspelt name fails at start-up rather than on the first call.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static LockKeyExpression parse(String source, Method method, ParameterNameDiscoverer parameterNames) {
        Expression parsed;
        try {
            parsed = PARSER.parseExpression(source);
        } catch (ParseException e) {
            throw new IllegalArgumentException("key '" + source + "' is not a valid SpEL expression: "
                    + e.getMessage(), e);
        }
        String[] names = parameterNames.getParameterNames(method);
        if (parsed instanceof SpelExpression spel) {
            Set<String> unknown = new LinkedHashSet<>(variablesIn(spel.getAST()));
            unknown.removeIf(name -> BUILT_IN_VARIABLE.matcher(name).matches());
            if (names == null && !unknown.isEmpty()) {
                // Without names, #id is null on every call: refuse now rather than fail (or share a lock) later.
                throw new ParameterNamesUnavailableException("key '" + source + "' refers to " + hashed(unknown)
                        + " by name, but the parameter names are not available: "
                        + method.getDeclaringClass().getName() + " was compiled without -parameters");
            }
            if (names != null) {
                unknown.removeIf(name -> List.of(names).contains(name));
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException("key '" + source + "' refers to " + hashed(unknown)
                            + ", but the method's parameters are " + hashed(List.of(names)));
                }
            }
        }
        if (parsed instanceof SpelExpression spel && spel.getAST() instanceof VariableReference) {
            refuseParameterWithoutText(source, spel.getAST().toStringAST().substring(1), method, names);
        }
        return new LockKeyExpression(source, parsed, parameterNames);
    }

    // A key that is a bare parameter whose type can have no stable text is wrong for every call: say so now.
    private static void refuseParameterWithoutText(String source, String variable, Method method,
            String @Nullable [] names) {
        int index = names != null ? List.of(names).indexOf(variable) : -1;
        if (index < 0 && variable.matches("[pa]\\d+")) {
            index = Integer.parseInt(variable.substring(1));
        }
        if (index < 0 || index >= method.getParameterCount()) {
            return;
        }
        Class<?> type = method.getParameterTypes()[index];
        // Only what no argument can escape: an array, or a final class (no subclass can add a toString).
        if (type.isArray() || (Modifier.isFinal(type.getModifiers()) && !hasOwnToString(type))) {
            throw new IllegalArgumentException("key '" + source + "' is the parameter '" + variable + "' of type "
                    + type.getTypeName() + ", which has no toString of its own, so every call would lock a"
                    + " different name; " + keyAdvice(source, type));
        }
    }

    /** Evaluates the key for one call. */
    String evaluate(Method method, Object[] args, Object target, Class<?> targetClass,
            @Nullable BeanResolver beanResolver) {
        LockKeyRoot root = new LockKeyRoot(method, args, target, targetClass);
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(root, method, args, parameterNames);
        if (beanResolver != null) {
            context.setBeanResolver(beanResolver);
        }
        Object value;
        try {
            value = expression.getValue(context);
        } catch (EvaluationException e) {
            throw new IllegalArgumentException("@FileLocked key '" + source + "' on " + method
                    + " could not be evaluated: " + e.getMessage(), e);
        }
        if (value == null) {
            throw new IllegalArgumentException("@FileLocked key '" + source + "' on " + method
                    + " evaluated to null for this call, and a lock needs a name: pass a value. A null key is"
                    + " refused rather than mapped to a shared default, which would put all such calls under one"
                    + " lock.");
        }
        if (!hasOwnToString(value.getClass())) {
            throw new IllegalArgumentException("@FileLocked key '" + source + "' on " + method + " evaluated to a "
                    + value.getClass().getTypeName() + ", which has no toString of its own: its text differs for"
                    + " every instance, so each call would lock a different name and nothing would be excluded; "
                    + keyAdvice(source, value.getClass()));
        }
        return value.toString();
    }

    /**
     * The lock name of one keyed call: {@code name:key}, readable ({@code doc:42}) and injective over (name, key)
     * pairs. The key's own {@code %} and {@code :} are percent-encoded, so the last {@code :} always ends the
     * name: {@code name="doc:a", key="b"} and {@code name="doc", key="'a:b'"} lock {@code doc:a:b} and
     * {@code doc:a%3Ab}.
     */
    static String lockName(String name, String key) {
        if (key.indexOf(':') < 0 && key.indexOf('%') < 0) {
            return name + ":" + key;
        }
        return name + ":" + key.replace("%", "%25").replace(":", "%3A");
    }

    private static String keyAdvice(String source, Class<?> type) {
        if (type.isArray()) {
            return "use one element, or all of them with \"T(java.util.Arrays).toString(" + source + ")\"";
        }
        return "use a property that identifies it, such as \"" + source + ".id\", or give "
                + type.getSimpleName() + " a toString that identifies it";
    }

    private static boolean hasOwnToString(Class<?> type) {
        return OWN_TO_STRING.get(type);
    }

    public String source() {
        return source;
    }

    private static List<String> variablesIn(SpelNode node) {
        List<String> found = new ArrayList<>();
        if (node instanceof VariableReference) {
            found.add(node.toStringAST().substring(1)); // "#name"
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            found.addAll(variablesIn(node.getChild(i)));
        }
        return found;
    }

    private static String hashed(Iterable<String> names) {
        List<String> out = new ArrayList<>();
        names.forEach(name -> out.add("#" + name));
        return String.join(", ", out);
    }
}
