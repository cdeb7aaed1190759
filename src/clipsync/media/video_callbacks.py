"""The C types of libVLC's video callbacks, and the thread state they keep (no ``vlc`` import:
:mod:`clipsync.media.vlc_backend` hands these to libVLC)."""

from __future__ import annotations

import ctypes
import threading

# python-vlc declares the format callback's chroma as c_char_p, which cannot be written back
# (python-vlc issue 294): declare it with c_void_p.
FormatCb = ctypes.CFUNCTYPE(
    ctypes.c_uint,
    ctypes.POINTER(ctypes.c_void_p),
    ctypes.c_void_p,
    ctypes.POINTER(ctypes.c_uint),
    ctypes.POINTER(ctypes.c_uint),
    ctypes.POINTER(ctypes.c_uint),
    ctypes.POINTER(ctypes.c_uint),
)
CleanupCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
LockCb = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p))
UnlockCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p))
DisplayCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


class ThreadStatePin:
    """Keeps a Python thread state on libVLC's video output thread between its format and
    cleanup callbacks (both on that thread, checked with libVLC 3.0).

    A ctypes callback on a thread Python does not know makes a new thread state for each
    call and deletes it afterwards (memory mapped and unmapped for its frame stack): twice a
    picture, that was ~0.3 % of a core at 30 fps. With one pinned, the callbacks reuse it.
    """

    def __init__(self) -> None:
        self._pinned: dict[int, int] = {}
        api = ctypes.pythonapi
        api.PyGILState_Ensure.restype = ctypes.c_int
        api.PyGILState_Release.argtypes = [ctypes.c_int]

    def pin(self) -> None:
        thread = threading.get_ident()
        if thread not in self._pinned:
            self._pinned[thread] = ctypes.pythonapi.PyGILState_Ensure()

    def unpin(self) -> None:
        state = self._pinned.pop(threading.get_ident(), None)
        if state is not None:
            ctypes.pythonapi.PyGILState_Release(state)


thread_state = ThreadStatePin()
