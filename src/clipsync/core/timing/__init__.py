"""Time: time codes, the playback clock, and the time of each picture libVLC shows."""
