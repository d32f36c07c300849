# Shared by the FUSE test fixtures (estalefs.py, noflockfs.py, flockfs.py; FuseMount copies it beside them): a
# loopback file system over a backing directory that passes every call through. A fixture subclasses Passthrough as a class named
# Loopback to misbehave; fusepy names the mount after that class, which AutoFallbackOnFuseTest's warning shows.
import ctypes, errno, os
import fusepy

class Passthrough(fusepy.Operations):
    use_ns = True
    def __init__(self, root): self.root = root
    def _p(self, path): return self.root + path
    def getattr(self, path, fh=None):
        st = os.lstat(self._p(path))
        d = {k: getattr(st, k) for k in ('st_mode', 'st_nlink', 'st_uid', 'st_gid', 'st_size', 'st_ino')}
        d.update(st_atime=st.st_atime_ns, st_mtime=st.st_mtime_ns, st_ctime=st.st_ctime_ns)
        return d
    def readdir(self, path, fh): return ['.', '..'] + os.listdir(self._p(path))
    def access(self, path, mode):
        if not os.access(self._p(path), mode): raise fusepy.FuseOSError(errno.EACCES)
    def open(self, path, flags): return os.open(self._p(path), flags)
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
    def utimens(self, path, times=None): os.utime(self._p(path), ns=times)
    def symlink(self, target, source): os.symlink(source, self._p(target))
    def readlink(self, path): return os.readlink(self._p(path))

def mount_with_flock(operations, mountpoint):
    """Mounts operations with libfuse2's flock handler wired up (fusepy leaves it out): operations.flock(path, fh, op)
    answers each flock(2) on the mount."""
    class Ops(ctypes.Structure):
        _fields_ = fusepy.fuse_operations._fields_ + [
            ('poll', ctypes.c_void_p), ('write_buf', ctypes.c_void_p), ('read_buf', ctypes.c_void_p),
            ('flock', ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(fusepy.fuse_file_info),
                                       ctypes.c_int)),
            ('fallocate', ctypes.c_void_p)]
    fusepy.fuse_operations = Ops

    class Fuse(fusepy.FUSE):
        def flock(self, path, fip, op):
            return self.operations('flock', path.decode(self.encoding), fip.contents.fh, op)

    Fuse(operations, mountpoint, foreground=True, nothreads=False, allow_other=True, use_ino=True)
