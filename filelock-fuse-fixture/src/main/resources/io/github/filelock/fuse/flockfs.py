# Test fixture for CallerWaitOnFuseTest: needs /dev/fuse, root, and Debian python3-fusepy (libfuse2).
# A loopback FUSE file system that serves flock(2) itself, as a network or cluster file system's daemon does: each
# request locks the backing file, and a blocking one blocks in this process until granted. Like most daemons it does
# not answer FUSE interrupts (libfuse2 without -o intr), so a signal does not end a flock call waiting here.
import ctypes, fcntl, sys
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
        return self.operations('flock', path.decode(self.encoding), fip.contents.fh, op)

class Loopback(Passthrough):
    def flock(self, path, fh, op):
        fcntl.flock(fh, op)  # blocks (GIL released) until the backing file's lock is granted
        return 0

if __name__ == '__main__':
    Fuse(Loopback(sys.argv[1]), sys.argv[2], foreground=True, nothreads=False, allow_other=True, use_ino=True)
