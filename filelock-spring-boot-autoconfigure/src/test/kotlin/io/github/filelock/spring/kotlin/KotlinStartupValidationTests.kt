package io.github.filelock.spring.kotlin

import io.github.filelock.spring.FileLocked
import io.github.filelock.spring.OnTimeout
import io.github.filelock.spring.autoconfigure.FileLockFailureAnalyzer
import io.github.filelock.spring.support.Runners
import java.nio.file.Path
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.emptyFlow
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.springframework.boot.test.context.FilteredClassLoader
import org.springframework.boot.test.context.runner.ApplicationContextRunner

/** Kotlin methods that @FileLocked cannot follow fail start-up, saying what is supported. */
class KotlinStartupValidationTests {

    @TempDir
    lateinit var tmp: Path

    /** The class path of an application without kotlinx-coroutines-reactor. */
    private fun withoutCoroutinesReactor() =
        Runners.withLockDir(tmp).withClassLoader(FilteredClassLoader("kotlinx.coroutines.reactor"))

    @Test
    fun `a suspend function without kotlinx-coroutines-reactor`() = expectFailure(
        withoutCoroutinesReactor(), Suspending::class.java,
        "Suspending.work(Continuation) of bean 'bean': the method is a Kotlin suspend function, which @FileLocked"
            + " can only follow to its end with kotlinx-coroutines-reactor on the class path",
        "Add org.jetbrains.kotlinx:kotlinx-coroutines-reactor",
    )

    @Test
    fun `a Flow without kotlinx-coroutines-reactor`() = expectFailure(
        withoutCoroutinesReactor(), Flowing::class.java,
        "the method returns kotlinx.coroutines.flow.Flow, a Kotlin Flow that is collected after the method returns",
        "Add org.jetbrains.kotlinx:kotlinx-coroutines-reactor",
    )

    @Test
    fun `with kotlinx-coroutines-reactor both start`() {
        Runners.withLockDir(tmp).withBean(Suspending::class.java).withBean(Flowing::class.java)
            .run { context -> assertThat(context).hasNotFailed() }
    }

    @Test
    fun `a hot StateFlow never completes`() = expectFailure(
        Runners.withLockDir(tmp), Hot::class.java,
        "the method returns kotlinx.coroutines.flow.StateFlow", "kotlinx-coroutines-reactor",
    )

    @Test
    fun `SKIP on a suspend function whose result cannot be null`() = expectFailure(
        Runners.withLockDir(tmp), SkipNonNull::class.java,
        "onTimeout = SKIP resumes a skipped call with null, but the suspend function returns the non-nullable"
            + " java.lang.String",
        "Declare the result nullable (for example String?) or Unit",
    )

    @Test
    fun `a suspend function that Kotlin left final`() = expectFailure(
        Runners.withLockDir(tmp), FinalSuspending::class.java,
        "the method is final", "non-final",
    )

    private fun expectFailure(runner: ApplicationContextRunner, beanClass: Class<*>, description: String,
        action: String) {
        runner.withBean("bean", beanClass).run { context ->
            assertThat(context).hasFailed()
            val analysis = FileLockFailureAnalyzer().analyze(context.startupFailure!!)
            assertThat(analysis).`as`("analysis of %s", context.startupFailure).isNotNull()
            assertThat(analysis!!.description).contains(description)
            assertThat(analysis.action).contains(action)
        }
    }

    open class Suspending {
        @FileLocked(name = "x")
        open suspend fun work(): String = "x"
    }

    open class Flowing {
        @FileLocked(name = "x")
        open fun numbers(): Flow<Int> = emptyFlow()
    }

    open class Hot {
        @FileLocked(name = "x")
        open fun state(): StateFlow<Int> = MutableStateFlow(1)
    }

    open class SkipNonNull {
        @FileLocked(name = "x", onTimeout = OnTimeout.SKIP)
        open suspend fun work(): String = "x"
    }

    open class FinalSuspending {
        @FileLocked(name = "x")
        suspend fun work(): String = "x"
    }
}
