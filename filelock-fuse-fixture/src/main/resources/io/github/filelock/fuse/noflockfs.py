# Test fixture for AutoFallbackOnFuseTest: needs /dev/fuse, root, and Debian python3-fusepy (libfuse2).
# A loopback FUSE file system that refuses flock(2) with ENOLCK, as NFS without lockd does.
import ctypes, errno, sys
import fusepy
from passthroughfs import Passthrough

class Ops(ctypes.Structure):
    _fields_ = fusepy.fuse_operations._fields_ + [
        ('poll', ctypes.c_void_p), ('write_buf', ctypes.c_void_p), ('read_buf', ctypes.c_void_p),
        ('flock', ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(fusepy.fuse_file_info), ctypes.c_int)),
        ('fallocate', ctypes.c_void_p)]

fusepy.fuse_operations = Ops

class Fuse(fusepy.FUSE):
    def flock(self, path, fip, op):
        return self.operations('flock', path.decode(self.encoding), op)

class Loopback(Passthrough):
    def flock(self, path, op): raise fusepy.FuseOSError(errno.ENOLCK)

if __name__ == '__main__':
    Fuse(Loopback(sys.argv[1]), sys.argv[2], foreground=True, nothreads=False, allow_other=True, use_ino=True)
