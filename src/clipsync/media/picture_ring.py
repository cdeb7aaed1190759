"""The buffers libVLC decodes pictures into, lent to the GUI without a copy.

libVLC's video callbacks run lock, (libVLC writes the picture), unlock, display: one picture
at a time, on its video output thread (docs/libvlc.md). Each lock takes a buffer nobody
holds; display lends it to the GUI, which releases it once that picture has been replaced on
screen (or dropped unseen). So a picture is never written while it is painted, and nothing is
copied on the way (a copy of every picture cost a 1080p clip ~8 MB a picture).

The buffer of the last picture shown is kept out of reach too, so that a picture shown again
(libVLC repeats the last one while paused) is recognised by comparing all its bytes in place:
two different pictures are never called the same.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading
from collections.abc import Callable
from functools import partial
from typing import Any


def _find_memcmp() -> Callable[[int, int, int], int] | None:
    """libc's ``memcmp``, or ``None`` where it is not found. Loaded as a ``PyDLL`` (the GIL
    stays held: releasing it around a call of a few microseconds costs more than it frees)."""
    try:
        if sys.platform == "win32":
            libc: Any = ctypes.PyDLL("msvcrt")
        else:
            libc = ctypes.PyDLL(ctypes.util.find_library("c") or None)
        memcmp = libc.memcmp
    except (OSError, AttributeError, TypeError):
        return None
    memcmp.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    memcmp.restype = ctypes.c_int
    return memcmp


_memcmp = _find_memcmp()


def same_bytes(a: Any, b: Any, size: int) -> bool:
    """Whether the ``size`` bytes of the ctypes buffers ``a`` and ``b`` are all equal."""
    if _memcmp is not None:
        return _memcmp(ctypes.addressof(a), ctypes.addressof(b), size) == 0
    return ctypes.string_at(ctypes.addressof(a), size) == ctypes.string_at(ctypes.addressof(b), size)


class PictureRing:
    """Picture buffers of ``size`` bytes; thread-safe (libVLC's thread takes and shows, the
    GUI thread releases)."""

    def __init__(self, size: int, count: int = 4) -> None:
        self.size = size
        self._buffers = [(ctypes.c_ubyte * size)() for _ in range(count)]
        self._held: set[int] = set()  # lent to the GUI and not released yet
        self._last: int | None = None  # the last picture shown: kept for the repeat test
        self._next = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buffers)

    def take(self) -> tuple[int, int]:
        """A buffer for the next picture: (its index, its address)."""
        with self._lock:
            count = len(self._buffers)
            for k in range(count):
                index = (self._next + k) % count
                if index not in self._held and index != self._last:
                    break
            else:
                # Someone keeps more pictures than the newest one: never write under them.
                self._buffers.append((ctypes.c_ubyte * self.size)())
                index = count
            self._next = (index + 1) % len(self._buffers)
            return index, ctypes.addressof(self._buffers[index])

    def show(self, index: int) -> tuple[memoryview, bool, Callable[[], None]]:
        """The picture in buffer ``index`` is complete: lend it out. Returns its pixels (valid
        until released), whether it repeats the last picture shown, and the release call."""
        with self._lock:
            buffer = self._buffers[index]
            last = self._last
            repeat = last is not None and last != index and same_bytes(self._buffers[last], buffer, self.size)
            self._last = index
            self._held.add(index)
        return memoryview(buffer), repeat, partial(self.release, index)

    def release(self, index: int) -> None:
        """The GUI is done with buffer ``index`` (releasing twice is harmless)."""
        with self._lock:
            self._held.discard(index)

    def held(self) -> set[int]:
        """The buffers lent out now (for tests)."""
        with self._lock:
            return set(self._held)
