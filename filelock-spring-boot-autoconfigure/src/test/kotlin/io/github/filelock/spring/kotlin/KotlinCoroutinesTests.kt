package io.github.filelock.spring.kotlin

import io.github.filelock.FileLockRegistry
import io.github.filelock.FileLockTimeoutException
import io.github.filelock.spring.support.FlockTool.eventuallyFree
import io.github.filelock.spring.support.FlockTool.otherProcessCanLock
import io.github.filelock.spring.support.HeldByAnotherThread
import io.github.filelock.spring.support.Runners
import java.nio.file.Path
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.springframework.aop.support.AopUtils
import org.springframework.boot.test.context.assertj.AssertableApplicationContext

/** Suspend functions and Flows under @FileLocked, with kotlinx-coroutines-reactor on the class path. */
class KotlinCoroutinesTests {

    @TempDir
    lateinit var tmp: Path

    private fun runner() = Runners.withLockDir(tmp)
        .withBean(SuspendingWork::class.java)
        .withBean(Inner::class.java)
        .withBean(Outer::class.java)
        .withBean(Numbers::class.java)

    /** Runs [body] in a fresh context; returns Unit, as JUnit wants of a test. */
    private fun withContext(body: (AssertableApplicationContext) -> Unit) {
        runner().run { context -> body(context) }
    }

    private fun AssertableApplicationContext.lockFile(name: String): Path =
        getBean(FileLockRegistry::class.java).diagnostics().lockFile(name)

    @Test
    fun `a suspend function holds the lock for its whole coroutine`() = withContext { context ->
        val work = context.getBean(SuspendingWork::class.java)
        assertThat(AopUtils.isAopProxy(work)).isTrue()
        runBlocking {
            val started = CompletableDeferred<Unit>()
            val finish = CompletableDeferred<Unit>()
            val result = async(Dispatchers.Default) { work.work(started, finish) }
            withTimeout(30_000) { started.await() }
            assertThat(otherProcessCanLock(context.lockFile("kt")))
                .`as`("held while the coroutine is suspended in delay()").isFalse()
            finish.complete(Unit)
            assertThat(withTimeout(30_000) { result.await() }).isEqualTo("done")
        }
        assertThat(eventuallyFree(context.lockFile("kt"))).`as`("released when the coroutine ended").isTrue()
    }

    @Test
    fun `cancelling the coroutine releases the lock`() = withContext { context ->
        val work = context.getBean(SuspendingWork::class.java)
        runBlocking {
            val started = CompletableDeferred<Unit>()
            val never = CompletableDeferred<Unit>()
            val call = async(Dispatchers.Default) { work.work(started, never) }
            withTimeout(30_000) { started.await() }
            assertThat(otherProcessCanLock(context.lockFile("kt"))).isFalse()
            call.cancelAndJoin()
        }
        assertThat(eventuallyFree(context.lockFile("kt"))).`as`("released on cancellation").isTrue()
    }

    @Test
    fun `SKIP resumes the caller with null, or Unit, without running the function`() = withContext { context ->
        val work = context.getBean(SuspendingWork::class.java)
        HeldByAnotherThread(context.getBean(FileLockRegistry::class.java), "kt").use {
            runBlocking {
                assertThat(work.skippable()).isNull()
                assertThat(work.skippableUnit()).isEqualTo(Unit)
            }
        }
        assertThat(work.runs.get()).`as`("skipped calls do not run").isZero()
        runBlocking { assertThat(work.skippable()).isEqualTo("ran") }
        assertThat(work.runs.get()).isEqualTo(1)
    }

    @Test
    fun `a nested suspend call on the same name times out instead of hanging`() = withContext { context ->
        val outer = context.getBean(Outer::class.java)
        runBlocking {
            withTimeout(30_000) {
                assertThatThrownBy { runBlocking { outer.outer() } }
                    .isInstanceOf(FileLockTimeoutException::class.java)
            }
        }
        assertThat(eventuallyFree(context.lockFile("nest"))).`as`("the outer hold is released too").isTrue()
    }

    @Test
    fun `a Flow is locked while it is collected, not when the method returns it`() = withContext { context ->
        val numbers = context.getBean(Numbers::class.java)
        var heldBetween: Boolean? = null
        val flow = numbers.numbers { heldBetween = !otherProcessCanLock(context.lockFile("flow")) }
        assertThat(otherProcessCanLock(context.lockFile("flow"))).`as`("not collected yet").isTrue()
        assertThat(runBlocking { flow.toList() }).containsExactly(1, 2)
        assertThat(heldBetween).`as`("held between the elements").isTrue()
        assertThat(eventuallyFree(context.lockFile("flow"))).isTrue()
    }

    @Test
    fun `a suspend function returning a Flow is locked while the Flow is collected`() = withContext { context ->
        val numbers = context.getBean(Numbers::class.java)
        var heldBetween: Boolean? = null
        val values = runBlocking {
            numbers.numbersLater { heldBetween = !otherProcessCanLock(context.lockFile("flow")) }.toList()
        }
        assertThat(values).containsExactly(1, 2)
        assertThat(heldBetween).isTrue()
        assertThat(eventuallyFree(context.lockFile("flow"))).isTrue()
    }
}
