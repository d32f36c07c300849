package io.github.filelock.spring.kotlin

import io.github.filelock.spring.FileLocked
import io.github.filelock.spring.OnTimeout
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

// Beans and their methods are open: Spring's class-based proxies override them (plain Kotlin classes are final).

/** Suspends in delay() until told to finish, so a test can look at the lock mid-coroutine. */
open class SuspendingWork {

    open val runs = AtomicInteger()

    @FileLocked(name = "kt")
    open suspend fun work(started: CompletableDeferred<Unit>, finish: CompletableDeferred<Unit>): String {
        runs.incrementAndGet()
        started.complete(Unit)
        while (!finish.isCompleted) {
            delay(20)
        }
        return "done"
    }

    @FileLocked(name = "kt", timeout = "0", onTimeout = OnTimeout.SKIP)
    open suspend fun skippable(): String? {
        runs.incrementAndGet()
        delay(1)
        return "ran"
    }

    @FileLocked(name = "kt", timeout = "0", onTimeout = OnTimeout.SKIP)
    open suspend fun skippableUnit() {
        runs.incrementAndGet()
        delay(1)
    }
}

/** Takes "nest", then calls another bean that wants "nest" too. */
open class Outer(private val inner: Inner) {

    @FileLocked(name = "nest", timeout = "200ms")
    open suspend fun outer(): String = "outer+" + inner.inner()
}

open class Inner {

    @FileLocked(name = "nest", timeout = "200ms")
    open suspend fun inner(): String {
        delay(1)
        return "inner"
    }
}

/** A cold Flow: each collection runs the block, which reports between its elements. */
open class Numbers {

    @FileLocked(name = "flow")
    open fun numbers(between: suspend () -> Unit): Flow<Int> = flow {
        emit(1)
        between()
        emit(2)
    }

    @FileLocked(name = "flow")
    open suspend fun numbersLater(between: suspend () -> Unit): Flow<Int> {
        delay(1)
        return numbers(between)
    }
}
