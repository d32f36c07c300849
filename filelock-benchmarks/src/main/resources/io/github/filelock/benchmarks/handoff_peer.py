"""One side of the cross-process ping-pong, waiting the way Python filelock's FileLock does.

Same protocol and board layout as JavaHandOffPeer / HandOffBoard. The lock is taken as filelock's
UnixFileLock takes it (flock_poll.py). Standard library only.

usage: handoff_peer.py PEER LOCK_DIR BOARD ROUNDS HOLD_MICROS JITTER_MICROS OUT POLL_SECONDS
"""
import mmap
import os
import random
import struct
import sys
import time

from flock_poll import acquire, release

RELEASE_STAMP, ACQUISITIONS, WAITING = 0, 8, 16


def get(board, offset):
    return struct.unpack_from("<q", board, offset)[0]


def put(board, offset, value):
    struct.pack_into("<q", board, offset, value)


def await_at_least(board, offset, value):
    while get(board, offset) < value:
        time.sleep(0.00002)


def main():
    peer, lock_dir, board_file, rounds, hold_micros, jitter_micros, out, poll = sys.argv[1:9]
    peer, rounds, poll = int(peer), int(rounds), float(poll)
    hold, jitter = int(hold_micros) / 1e6, int(jitter_micros) / 1e6
    other = 1 - peer
    path = os.path.join(lock_dir, "ping-pong.lock")
    last = 2 * rounds - 1
    samples = []
    with open(board_file, "r+b") as f:
        board = mmap.mmap(f.fileno(), 64)
        for i in range(rounds):
            k = 2 * i + peer
            await_at_least(board, ACQUISITIONS, k)
            put(board, WAITING + 8 * peer, 1)
            fd = acquire(path, poll)
            acquired_at = time.monotonic_ns()
            if k > 0:
                samples.append(acquired_at - get(board, RELEASE_STAMP))
            put(board, WAITING + 8 * peer, 0)
            put(board, ACQUISITIONS, k + 1)
            if k < last:
                await_at_least(board, WAITING + 8 * other, 1)
                time.sleep(hold + random.uniform(0, jitter))
            put(board, RELEASE_STAMP, time.monotonic_ns())
            release(fd)
    with open(out, "w") as f:
        f.write("\n".join(str(s) for s in samples))


if __name__ == "__main__":
    main()
