"""One contending process for the counter baseline, locking the way Python filelock's FileLock does.

Same contract as CounterWorker: THREADS threads each do INCREMENTS read-modify-write increments of the
counter file under one lock, in two rounds. It prints READY; each round starts on a GO line from stdin, counts in
COUNTER-<round>, writes to OUT-<round> its start and end CLOCK_MONOTONIC nanoseconds, -1 for the JIT time a JVM
reports, and for every increment the wait and when the lock was got and given back, and prints DONE <round>. The lock: filelock's poll loop (flock_poll.py),
sleeping POLL_SECONDS between attempts. Standard library only.

usage: counter_worker.py LOCK_DIR COUNTER THREADS INCREMENTS OUT POLL_SECONDS
"""
import os
import sys
import threading
import time

from flock_poll import acquire, release


def increment(path, counter, increments, poll, records):
    for _ in range(increments):
        asked = time.monotonic_ns()
        fd = acquire(path, poll)
        try:
            got = time.monotonic_ns()
            with open(counter, "r+") as f:
                text = f.read().strip()
                value = int(text) if text else 0
                f.seek(0)
                f.truncate()
                f.write(str(value + 1))
            records.append("%d %d %d" % (got - asked, got, time.monotonic_ns()))
        finally:
            release(fd)


ROUNDS = 2  # as ContentionHarness.ROUNDS


def main():
    lock_dir, counter, threads, increments, out, poll = sys.argv[1:7]
    threads, increments, poll = int(threads), int(increments), float(poll)
    path = os.path.join(lock_dir, "counter.lock")
    print("READY", flush=True)
    for round_ in range(ROUNDS):
        if sys.stdin.readline().strip() != "GO":
            raise SystemExit("expected GO on stdin")
        round_counter = "%s-%d" % (counter, round_)
        records = [[] for _ in range(threads)]
        start = time.monotonic_ns()
        workers = [threading.Thread(target=increment, args=(path, round_counter, increments, poll, records[t]))
                   for t in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        end = time.monotonic_ns()
        with open("%s-%d" % (out, round_), "w") as f:
            f.write("\n".join([str(start), str(end), "-1"] + [r for rs in records for r in rs]))
        print("DONE %d" % round_, flush=True)


if __name__ == "__main__":
    main()
