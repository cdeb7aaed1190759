"""The sound after a jump above 1x: a lead that brings the first sound onto the target.

After a seek, libVLC 3's audio output plays its first buffer even when it is late by less than
``AOUT_MAX_PTS_DELAY`` (60 ms of wall time), where the video output drops a late picture. Above
1x the clock starts late, so the sound heard at the landing picture comes from before the
target (at 1.5x -80 ms, at 2x -125 ms of media; docs/benchmarks.md, "First sound after a jump
above 1x") and runs behind the picture until libVLC resynchronises. A mute timed by the picture
does not help: the sound after it is just as far behind.

What does: an audio delay of minus :func:`lead_ms` set just before the seek, so that libVLC
takes that first buffer for one on time (or early) and its sound starts at the target; after
the landing the delay is taken back in steps of ``STEP_MS``, small enough for libVLC's
resampler to absorb without a gap. Measured (docs/benchmarks.md, "First sound after a jump
above 1x"): with plain python-vlc on the benchmark clip (30 fps H.264, AAC), through a
PulseAudio null sink and afile, a lead of 100 ms put the first sound heard at +15 ms (1.5x) and
-23 to -31 ms (2x) from the target, 60 ms at -25 and -55 ms; taken back in 20 ms steps it
added no silence to the sound heard. In the app (afile) on that clip and on VP9/Opus WebM at 60
fps and H.264 MKV at 50 fps: -22 to +3 ms (median) at 1.5x, -31 to -5 ms at 2x.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

HOLD_S = 0.5  # the lead stays this long after the seek (the landing comes within it)
#: After a longer decode from the keyframe no lead is set: libVLC's landing comes late and the
#: sound with it (HEVC at 10 s keyframes, 2x: -164 ms without a lead, +708 ms with one).
LONG_DECODE_MS = 2500.0
STEP_MS = 20
STEP_EVERY_S = 0.25


def lead_ms(rate: float) -> int:
    """How far ahead the sound is set for a jump at ``rate`` (0 at 1x and below).

    >>> lead_ms(1.0), lead_ms(1.5), lead_ms(2.0)
    (0, 100, 130)
    """
    if rate <= 1.0:
        return 0
    return round(min(160.0, max(40.0, 100 + 60 * (rate - 1.5))))


class AudioLead:
    """Sets and takes back the lead of :func:`lead_ms` (see the module). ``set_delay_us`` is
    libVLC's ``audio_set_delay`` (microseconds; negative: the sound earlier)."""

    def __init__(self, set_delay_us: Callable[[int], object]) -> None:
        self._set = set_delay_us
        self._lock = threading.Lock()
        self._generation = 0
        self.lead_ms = 0  # the lead set now

    def jumped(self, rate: float, decode_ms: float = 0.0) -> None:
        """A seek at ``rate`` is about to be asked, whose picture the decoder reaches after
        ``decode_ms`` of media from the keyframe: set its lead (or none), and take it back after
        the landing."""
        with self._lock:
            self._generation += 1
            generation = self._generation
            lead = lead_ms(rate) if decode_ms < LONG_DECODE_MS else 0
            if lead != self.lead_ms:
                self.lead_ms = lead
                self._set(-lead * 1000)  # a seek flushes the sound: no step needed here
        if lead:
            threading.Thread(target=self._take_back, args=(generation,), daemon=True).start()

    def stop(self) -> None:
        """No more changes (the player is going): a step under way is dropped."""
        with self._lock:
            self._generation += 1

    def _take_back(self, generation: int) -> None:
        time.sleep(HOLD_S)
        while True:
            with self._lock:
                if generation != self._generation or self.lead_ms == 0:
                    return
                self.lead_ms = max(0, self.lead_ms - STEP_MS)
                self._set(-self.lead_ms * 1000)
            time.sleep(STEP_EVERY_S)
