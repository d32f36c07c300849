# Test fixture for AutoFallbackOnFuseTest: needs /dev/fuse, root, and Debian python3-fusepy (libfuse2).
# A loopback FUSE file system that refuses flock(2) with ENOLCK, as NFS without lockd does.
import errno, sys
import fusepy
from passthroughfs import Passthrough, mount_with_flock

class Loopback(Passthrough):
    def flock(self, path, fh, op): raise fusepy.FuseOSError(errno.ENOLCK)

if __name__ == '__main__':
    mount_with_flock(Loopback(sys.argv[1]), sys.argv[2])
