"""How Python filelock's UnixFileLock takes and releases a lock, with the standard library only.

Open the file, one flock(LOCK_EX | LOCK_NB); on failure close it and sleep poll_interval, then try again.
Release is flock(LOCK_UN) and close. Shared by the python3 baseline scripts.
"""
import fcntl
import os
import time


def acquire(path, poll):
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            os.close(fd)
            time.sleep(poll)


def release(fd):
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
