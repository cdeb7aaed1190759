"""The picture's way from libVLC to the screen, kept cheap: buffers lent without copies and
given back, repeats told by their bytes, the poll slowed while pictures carry the text, and
new pictures repainting only the picture (captions over it from a cut layer)."""

from __future__ import annotations

import ctypes
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from pytestqt.qtbot import QtBot

from clipsync.core.captions.caption_style import CaptionStyle
from clipsync.core.captions.captions import CaptionFrame
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.timing.clock import PlaybackClock
from clipsync.media.fake_players import FakePlayer
from clipsync.media.picture_ring import PictureRing, same_bytes
from clipsync.media.player import EventKind, Frame, PlayerEvent
from clipsync.ui.captions.caption_painter import paint_captions
from clipsync.ui.player.controller import PlaybackController, State
from clipsync.ui.player.frame_handover import FrameHandover
from clipsync.ui.player.video_view import VideoView


# The ring: libVLC never writes into a picture the GUI holds ----------------------------------
def _write(address: int, size: int, value: int) -> None:
    ctypes.memset(address, value, size)


def test_ring_never_lends_a_held_or_the_last_buffer() -> None:
    """A buffer is taken again only once released, and never while it is the last one shown."""
    ring = PictureRing(64, count=4)
    taken = []
    for value in range(3):
        index, address = ring.take()
        _write(address, 64, value)
        ring.show(index)
        taken.append(index)
    assert len(set(taken)) == 3 and ring.held() == set(taken)
    index, _ = ring.take()  # the only free one
    assert index not in taken
    ring.show(index)
    grown, _ = ring.take()  # all four held: a fifth buffer, nothing is written under the GUI
    assert grown == 4 and len(ring) == 5
    for i in taken:
        ring.release(i)
    ring.release(taken[0])  # twice: harmless
    assert ring.take()[0] in taken


def test_ring_tells_a_repeat_by_every_byte() -> None:
    """The same picture again is a repeat; a picture differing in its very last byte is not."""
    ring = PictureRing(1000)
    index, address = ring.take()
    _write(address, 1000, 7)
    pixels, repeat, release = ring.show(index)
    assert not repeat and bytes(pixels) == b"\x07" * 1000
    release()
    index, address = ring.take()
    _write(address, 1000, 7)
    assert ring.show(index)[1]  # same bytes in another buffer: a repeat
    index, address = ring.take()
    _write(address, 1000, 7)
    ctypes.memset(address + 999, 8, 1)
    assert not ring.show(index)[1]


def test_same_bytes_compares_all_of_them() -> None:
    a, b = (ctypes.c_ubyte * 4096)(), (ctypes.c_ubyte * 4096)()
    assert same_bytes(a, b, 4096)
    b[4095] = 1
    assert not same_bytes(a, b, 4096)
    assert same_bytes(a, b, 4095)


# The handover: newest only, everything lent is given back ------------------------------------
class Lender:
    """Frames whose release is counted, as the libVLC backend lends them."""

    def __init__(self) -> None:
        self.out: set[int] = set()
        self.number = 0

    def frame(self, at: float = 0.0) -> Frame:
        number = self.number
        self.number += 1
        self.out.add(number)
        return Frame(b"\x00" * 16, 2, 2, number, at, False, lambda: self.out.discard(number))


def test_handover_keeps_the_newest_and_gives_back_the_rest(qtbot: QtBot) -> None:
    lender, notified = Lender(), []
    handover = FrameHandover(lambda: notified.append(1))
    first, second = lender.frame(), lender.frame()
    handover.put(first)
    handover.put(second)  # the GUI was busy: the first is dropped unseen, given back at once
    assert len(notified) == 1 and lender.out == {1}
    assert handover.take() is second and handover.take() is None
    image = handover.show(second)
    assert image is not None and image.size() == QSize(2, 2)
    handover.replaced_done()
    assert lender.out == {1}  # on screen: still lent
    third = lender.frame()
    handover.put(third)
    handover.show(handover.take())
    assert lender.out == {1, 2}  # the views still have the old picture until replaced_done
    handover.replaced_done()
    assert lender.out == {2}
    handover.drop(lender.frame())  # from before a jump: never shown
    assert lender.out == {2}
    assert handover.show(None) is None
    assert lender.out == set()


FRAME_MS = 40


class Wall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class LendingPlayer(FakePlayer):
    """The fake player, lending its frames as the libVLC backend does."""

    def __init__(self) -> None:
        super().__init__()
        self.lender = Lender()

    def show_frame(self, at: float = 0.0, *, repeat: bool = False) -> None:
        self.frames += 1
        if self.frames == 1:
            self.on_event(PlayerEvent(EventKind.FIRST_FRAME))
        frame = self.lender.frame(at)
        self.on_frame(Frame(frame.data, 2, 2, self.frames - 1, at, repeat, frame.release))


@pytest.fixture
def rig(qtbot: QtBot, clip_sync: Path) -> tuple[PlaybackController, LendingPlayer, Wall]:
    wall = Wall()
    player = LendingPlayer()
    player.video(1000 / FRAME_MS)
    controller = PlaybackController(player, PlaybackClock(wall))
    controller.set_article(load_sync(clip_sync))
    controller.open(Path("clip.mp4"))
    player.show_frame(wall.t)
    qtbot.waitUntil(lambda: controller.state is State.PLAYING)
    controller._poll.stop()  # the test drives time by hand
    return controller, player, wall


def _frame(
    qtbot: QtBot, controller: PlaybackController, player: LendingPlayer, wall: Wall, ms: float
) -> None:
    wall.t += ms / 1000
    player.advance(round(ms))
    player.show_frame(wall.t)
    qtbot.waitUntil(lambda: controller.frame_number == player.frames - 1 or not controller._pictures.pending)


def test_controller_gives_back_every_picture_it_no_longer_shows(qtbot: QtBot, rig) -> None:  # type: ignore[no-untyped-def]
    """Only the picture on screen stays lent: replaced pictures and old ones after a jump go back."""
    controller, player, wall = rig
    for _ in range(5):
        _frame(qtbot, controller, player, wall, FRAME_MS)
        assert player.lender.out == {controller.frame_number}
    on_screen = controller.frame_number
    controller.seek(20_000)
    player.show_frame(wall.t + FRAME_MS / 1000)  # on its way before the seek: not shown, given back
    qtbot.waitUntil(lambda: player.lender.out == {on_screen})
    assert controller.frame_number == player.frames - 1
    controller.open(Path("other.mp4"))
    assert player.lender.out == set() and controller.frame is None


def test_poll_slows_while_pictures_carry_the_text(qtbot: QtBot, rig) -> None:  # type: ignore[no-untyped-def]
    """While pictures come the poll only moves the timeline (10 Hz); paused, or with a stop
    point due, it polls every 10 ms again."""
    controller, player, wall = rig
    ticks: list[int] = []
    controller.positionTick.connect(ticks.append)
    _frame(qtbot, controller, player, wall, FRAME_MS)
    controller.tick()
    assert controller._poll.interval() == controller.PICTURE_POLL_MS
    for _ in range(3):
        controller.tick()
    assert len(ticks) >= 3  # every slow tick moves the timeline
    controller.pause()
    controller.tick()
    assert controller._poll.interval() == controller.POLL_MS
    controller.play()
    _frame(qtbot, controller, player, wall, FRAME_MS)
    controller.tick()
    assert controller._poll.interval() == controller.PICTURE_POLL_MS
    controller.play_range(30_000, 32_000)
    assert controller._poll.interval() == controller.POLL_MS
    wall.t += 1.0  # no picture for a second (a stall): the poll moves the text again
    controller.seek(40_000)
    controller._land_without_picture()
    controller.tick()
    assert controller._poll.interval() == controller.POLL_MS


# The view: a new picture repaints the picture only -------------------------------------------
class Recorder(VideoView):
    def __init__(self) -> None:
        super().__init__()
        self.painted: list[QRect] = []

    def paintEvent(self, event: QPaintEvent) -> None:
        self.painted.append(event.rect())
        super().paintEvent(event)


def _picture(color: str) -> QImage:
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    return image


def test_a_new_picture_repaints_only_the_picture(qtbot: QtBot) -> None:
    """The bars stay black and are not repainted for each picture; a new size repaints all."""
    view = Recorder()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    view.set_image(_picture("red"))
    qtbot.waitUntil(lambda: bool(view.painted))
    view.painted.clear()
    view.set_image(_picture("blue"))
    qtbot.waitUntil(lambda: bool(view.painted))
    assert view.painted == [view.picture_rect()] and view.picture_rect() == QRect(0, 38, 400, 225)
    shot = view.grab().toImage()
    assert shot.pixelColor(200, 150) == QColor("blue")
    assert shot.pixelColor(200, 10) == QColor("black") and shot.pixelColor(200, 290) == QColor("black")
    view.painted.clear()
    view.set_image(QImage(640, 360, QImage.Format.Format_RGB32))
    qtbot.waitUntil(lambda: bool(view.painted))
    assert view.painted[0] == view.rect()


@pytest.mark.parametrize("position", ["bottom", "top"])
def test_cut_caption_layer_paints_what_the_whole_layer_paints(qtbot: QtBot, position: str) -> None:
    """Captions blended from the layer cut to what they cover look exactly as from a layer the
    size of the picture."""
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(640, 360)
    view.caption_style = CaptionStyle(position=position, window_opacity=0.5)
    frame = CaptionFrame(("A first line of the caption,", "and a second one"), "John Kirby")
    view.caption_source = lambda: frame
    view.set_image(_picture("#336699"))
    shot = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)

    # As before the cut: a transparent layer the picture's size, blended over it.
    whole = QImage(640, 360, QImage.Format.Format_ARGB32_Premultiplied)
    whole.fill(Qt.GlobalColor.transparent)
    painter = QPainter(whole)
    covered = paint_captions(painter, QRectF(0, 0, 640, 360), frame, view.caption_style)
    painter.end()
    reference = _picture("#336699").scaled(640, 360)
    painter = QPainter(reference)
    painter.drawImage(0, 0, whole)
    painter.end()
    assert shot == reference
    layer, offset = view._caption_layer
    assert layer.height() < 360 / 2 and QRectF(offset, QRectF(layer.rect()).size()).contains(covered)
    assert layer.size() != QSize(640, 360)


def test_picture_at_its_own_size_is_painted_unscaled(qtbot: QtBot) -> None:
    """When the widget fits the picture exactly, the pixels are copied as they are."""
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(320, 180)
    image = _picture("black")
    for x in range(0, 320, 2):
        image.setPixelColor(x, 90, QColor("white"))  # a pattern any smoothing would blur
    view.set_image(image)
    shot = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert shot == image


# The timeline: repainted when its handle moves, not at every position tick ------------------
def test_timeline_repaints_only_when_the_handle_moves(qtbot: QtBot) -> None:
    from clipsync.ui.player.timeline import SeekSlider

    class Counting(SeekSlider):
        paints = 0

        def paintEvent(self, event: QPaintEvent) -> None:
            Counting.paints += 1
            super().paintEvent(event)

    slider = Counting()
    qtbot.addWidget(slider)
    slider.resize(600, 34)
    slider.setRange(0, 3_600_000)  # an hour: a pixel is several seconds
    slider.show()
    qtbot.waitExposed(slider)
    qtbot.wait(50)
    Counting.paints = 0
    for position in range(0, 1000, 100):  # ten ticks within one pixel
        slider.setValue(position)
        qtbot.wait(5)
    assert Counting.paints == 0 and slider.value() == 900
    slider.setValue(600_000)
    qtbot.waitUntil(lambda: Counting.paints == 1)
    slider.setRange(0, 60_000)  # anything but the value repaints as before
    qtbot.waitUntil(lambda: Counting.paints == 2)


# Through real libVLC -------------------------------------------------------------------------
@pytest.mark.slow
def test_real_libvlc_lends_pictures_tells_repeats_and_gets_them_back(qtbot: QtBot, clip_media: Path) -> None:
    """Playing and pausing the bundled clip: each picture is flagged a repeat exactly when its
    bytes equal the one before, and the GUI never holds more than the picture on screen and
    the one waiting for it."""
    from clipsync.ui.app import create_window

    window = create_window()
    qtbot.addWidget(window)
    window.show()
    controller = window.controller
    player = controller.player
    assert player is not None
    seen: list[tuple[bool, bytes]] = []
    forward = player.on_frame

    def watch(frame: Frame) -> None:  # on libVLC's thread, before the GUI gets the frame
        seen.append((frame.repeat, bytes(frame.data)))
        forward(frame)

    player.on_frame = watch
    window.open_media(clip_media)
    qtbot.waitUntil(lambda: controller.state is State.PLAYING, timeout=10_000)
    ring = player._ring  # type: ignore[attr-defined]
    held: list[int] = []
    for _ in range(20):
        qtbot.wait(50)
        held.append(len(ring.held()))
    controller.pause()
    qtbot.wait(1500)  # libVLC shows the paused picture again a few times a second
    assert max(held) <= 2 and len(ring) == 4
    assert len(seen) > 20
    for (_, before), (repeat, data) in pairwise(seen):
        assert repeat == (data == before)
    assert any(repeat for repeat, _ in seen) and not all(repeat for repeat, _ in seen[1:])
    shown = controller.frame
    assert shown is not None and shown.constBits().tobytes() == seen[-1][1]
