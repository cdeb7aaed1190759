"""Saves docs/screenshot-descriptions.png: described video on the bundled clip.

Run: ``xvfb-run -a .venv/bin/python scripts/screenshot_descriptions.py`` (or with
``QT_QPA_PLATFORM=offscreen CLIPSYNC_AUDIO_OUTPUT=adummy``). With described video on and its text
shown under the video, it plays from 1:48 until the video waits for Stephen O'Brien's lower
third to be described (the description is longer than the silence after 1:49), then grabs the
window: the description marked in the article panel and shown under the picture.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot-descriptions.png"
    folder = Path(tempfile.mkdtemp(prefix="clipsync-shot-"))
    os.environ["CLIPSYNC_CONFIG_DIR"] = str(folder / "config")
    os.environ["CLIPSYNC_CACHE_DIR"] = str(folder / "cache")
    os.environ.setdefault("CLIPSYNC_AUDIO_OUTPUT", "adummy")
    (folder / "config").mkdir()
    settings = {"ui": {"descriptions": {"enabled": True, "show_text": True}}}
    (folder / "config" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")

    from clipsync.ui.app import application, create_window

    app = application()
    window = create_window()
    window.resize(1400, 860)
    window.show()

    def wait_until(condition: object, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            if condition():  # type: ignore[operator]
                return True
            time.sleep(0.005)
        return False

    window.open_media(ROOT / "resources" / "clip" / "syria.mp4", start_ms=108_000)
    voice = window.descriptions.voice
    if not wait_until(lambda: any(entry[2] == "hold" for entry in voice.log), 30):
        print("the video did not wait for the description", file=sys.stderr)
        return 1
    wait_until(lambda: False, 0.8)  # the last picture painted, the panel scrolled
    ok = window.grab().save(str(out))
    print(f"saved {out}" if ok else f"could not write {out}")
    sys.stdout.flush()
    os._exit(0 if ok else 2)


if __name__ == "__main__":
    raise SystemExit(main())
