package io.github.filelock.spring.aop;

import java.lang.reflect.Method;
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
public final class LockKeyExpression {

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();

    /** Variables every method has besides its parameter names: #root, #this, #p0/#a0... */
    private static final Pattern BUILT_IN_VARIABLE = Pattern.compile("root|this|[pa]\\d+");

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
        if (names != null && parsed instanceof SpelExpression spel) {
            Set<String> unknown = new LinkedHashSet<>(variablesIn(spel.getAST()));
            unknown.removeIf(name -> BUILT_IN_VARIABLE.matcher(name).matches() || List.of(names).contains(name));
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("key '" + source + "' refers to " + hashed(unknown)
                        + ", but the method's parameters are " + hashed(List.of(names)));
            }
        }
        return new LockKeyExpression(source, parsed, parameterNames);
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
                    + " evaluated to null; a lock name needs a value (check the arguments, or use a default"
                    + " such as \"" + source + " ?: 'none'\")");
        }
        return value.toString();
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
