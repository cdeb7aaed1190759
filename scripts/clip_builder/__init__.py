"""The parts of the clip builder, ``scripts/build_clip.py`` (which puts the whole build together
and is the command to run): ``voices`` (speech engines, synthesis, silence), ``text`` (what is
said, piece by piece), ``timeline`` (the pieces joined with pauses that fill the target length),
``video`` (the ffmpeg filter graph of the picture) and ``encoding`` (the mp4 and its checks)."""
