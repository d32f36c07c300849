# Test fixture for LeaseLossOnFuseTest: needs /dev/fuse, root, and Debian python3-fusepy (libfuse2).
# A loopback FUSE file system that misbehaves as NFS does, on demand, for the files named in control files at the
# backing root: a name listed in .estale answers ESTALE to stat, open and utimens (a stale NFS handle); a name
# listed in .sameino reports inode 4242 whatever file it is (an NFS server that reused a freed inode number).
# No attribute or entry caching, so every stat and open reaches this process.
import errno, os, sys
import fusepy

SAME_INODE = 4242

class Loopback(fusepy.Operations):
    use_ns = True
    def __init__(self, root): self.root = root
    def _p(self, path): return self.root + path
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
        st = os.lstat(self._p(path))
        d = {k: getattr(st, k) for k in ('st_mode', 'st_nlink', 'st_uid', 'st_gid', 'st_size', 'st_ino')}
        d.update(st_atime=st.st_atime_ns, st_mtime=st.st_mtime_ns, st_ctime=st.st_ctime_ns)
        if self._listed('.sameino', path): d['st_ino'] = SAME_INODE
        return d
    def readdir(self, path, fh): return ['.', '..'] + os.listdir(self._p(path))
    def access(self, path, mode):
        if not os.access(self._p(path), mode): raise fusepy.FuseOSError(errno.EACCES)
    def open(self, path, flags):
        self._stale(path)
        return os.open(self._p(path), flags)
    def create(self, path, mode, fi=None): return os.open(self._p(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    def read(self, path, size, offset, fh): return os.pread(fh, size, offset)
    def write(self, path, data, offset, fh): return os.pwrite(fh, data, offset)
    def truncate(self, path, length, fh=None): os.truncate(self._p(path), length)
    def flush(self, path, fh): return 0
    def fsync(self, path, datasync, fh): return 0
    def release(self, path, fh): os.close(fh)
    def unlink(self, path): os.unlink(self._p(path))
    def rename(self, old, new): os.rename(self._p(old), self._p(new))
    def link(self, target, source): os.link(self._p(source), self._p(target))
    def mkdir(self, path, mode): os.mkdir(self._p(path), mode)
    def rmdir(self, path): os.rmdir(self._p(path))
    def chmod(self, path, mode): os.chmod(self._p(path), mode)
    def chown(self, path, uid, gid): os.chown(self._p(path), uid, gid)
    def utimens(self, path, times=None):
        self._stale(path)
        os.utime(self._p(path), ns=times)
    def symlink(self, target, source): os.symlink(source, self._p(target))
    def readlink(self, path): return os.readlink(self._p(path))

if __name__ == '__main__':
    fusepy.FUSE(Loopback(sys.argv[1]), sys.argv[2], foreground=True, nothreads=False, allow_other=True, use_ino=True,
                entry_timeout=0, attr_timeout=0, negative_timeout=0)
