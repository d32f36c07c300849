package io.github.filelock.spring.aop;

import io.github.filelock.spring.FileLocked;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/** A user's own annotation that means "the embeddings lock", with an overridable timeout. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@FileLocked(name = "embeddings", timeout = "5s")
@interface EmbeddingsLock {

    @AliasFor(annotation = FileLocked.class, attribute = "timeout")
    String timeout() default "5s";
}
