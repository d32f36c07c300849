# Test fixture for LeaseLossOnFuseTest: needs /dev/fuse, root, and Debian python3-fusepy (libfuse2).
# A loopback FUSE file system that misbehaves as NFS does, on demand, for the files named in control files at the
# backing root: a name listed in .estale answers ESTALE to stat, open and utimens (a stale NFS handle); a name
# listed in .sameino reports inode 4242 whatever file it is (an NFS server that reused a freed inode number).
# No attribute or entry caching, so every stat and open reaches this process.
import errno, os, sys
import fusepy
from passthroughfs import Passthrough

SAME_INODE = 4242

class Loopback(Passthrough):
    def _listed(self, control, path):
        # A listed name also covers the names a marker is moved aside to (<name>.<random>.aside): a moved file keeps
        # its inode.
        try:
            with open(os.path.join(self.root, control)) as f:
                return any(os.path.basename(path).startswith(name) for name in f.read().split())
        except FileNotFoundError:
            return False
    def _stale(self, path):
        if self._listed('.estale', path): raise fusepy.FuseOSError(errno.ESTALE)
    def getattr(self, path, fh=None):
        self._stale(path)
        d = super().getattr(path, fh)
        if self._listed('.sameino', path): d['st_ino'] = SAME_INODE
        return d
    def open(self, path, flags):
        self._stale(path)
        return super().open(path, flags)
    def utimens(self, path, times=None):
        self._stale(path)
        super().utimens(path, times)

if __name__ == '__main__':
    fusepy.FUSE(Loopback(sys.argv[1]), sys.argv[2], foreground=True, nothreads=False, allow_other=True,
                use_ino=True, entry_timeout=0, attr_timeout=0, negative_timeout=0)
