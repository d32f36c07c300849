# Test fixture for CallerWaitOnFuseTest: needs /dev/fuse, root, and Debian python3-fusepy (libfuse2).
# A loopback FUSE file system that serves flock(2) itself, as a network or cluster file system's daemon does: each
# request locks the backing file, and a blocking one blocks in this process until granted. Like most daemons it does
# not answer FUSE interrupts (libfuse2 without -o intr), so a signal does not end a flock call waiting here.
import fcntl, sys
from passthroughfs import Passthrough, mount_with_flock

class Loopback(Passthrough):
    def flock(self, path, fh, op):
        fcntl.flock(fh, op)  # blocks (GIL released) until the backing file's lock is granted
        return 0

if __name__ == '__main__':
    mount_with_flock(Loopback(sys.argv[1]), sys.argv[2])
