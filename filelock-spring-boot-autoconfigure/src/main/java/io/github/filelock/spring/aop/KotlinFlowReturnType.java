package io.github.filelock.spring.aop;

import io.github.filelock.spring.returntype.FileLockedInvocation;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import org.springframework.core.Ordered;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * Runs a {@code @FileLocked} method that returns a Kotlin {@code Flow}: each collection takes the lock, and it is
 * released when the flow completes, fails or its collector is cancelled. It adapts the Flow to a publisher and back
 * through Spring's {@link ReactiveAdapterRegistry}, which knows Flow when kotlinx-coroutines-reactor is present
 * (the only time this is created). Hot flows ({@code SharedFlow}, {@code StateFlow}) never complete, so they are
 * left to the synchronous return type, which refuses them.
 */
public final class KotlinFlowReturnType implements FileLockedReturnType, Ordered {

    private static final String FLOW = "kotlinx.coroutines.flow.Flow";

    @Override
    public boolean supports(Class<?> returnType) {
        return returnType.getName().equals(FLOW);
    }

    @Override
    public boolean isAsync() {
        return true;
    }

    @Override
    public Object invoke(FileLockedInvocation invocation) {
        ReactiveAdapter adapter = adapter(invocation.request().method().getReturnType());
        return adapter.fromPublisher(ReactorLocking.flux(invocation, adapter::toPublisher));
    }

    private static ReactiveAdapter adapter(Class<?> flowType) {
        ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(flowType);
        if (adapter == null) {
            throw new IllegalStateException("Spring's ReactiveAdapterRegistry has no adapter for " + flowType.getName()
                    + "; kotlinx-coroutines-reactor is needed on the class path");
        }
        return adapter;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }
}
