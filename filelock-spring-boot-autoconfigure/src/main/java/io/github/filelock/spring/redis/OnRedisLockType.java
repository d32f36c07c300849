package io.github.filelock.spring.redis;

import io.github.filelock.LockType;
import io.github.filelock.spring.autoconfigure.FileLockProperties;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code filelock.type} or some {@code filelock.locks.<name>.type} is {@code redis}. */
final class OnRedisLockType extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        FileLockProperties properties = Binder.get(context.getEnvironment())
                .bind("filelock", FileLockProperties.class).orElseGet(FileLockProperties::new);
        if (properties.getType() == LockType.REDIS) {
            return ConditionOutcome.match("filelock.type is redis");
        }
        for (var lock : properties.getLocks().entrySet()) {
            if (lock.getValue().getType() == LockType.REDIS) {
                return ConditionOutcome.match("filelock.locks." + lock.getKey() + ".type is redis");
            }
        }
        return ConditionOutcome.noMatch("no filelock type is redis");
    }
}
