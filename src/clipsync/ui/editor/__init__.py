"""Edit timings mode: the timing editor and its commands, the waveform, the edit session, re-aligning and the align dialog."""
