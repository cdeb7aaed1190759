"""DescriptionVoice: says the descriptions of the article playing, in the gaps of its speech.

Each description is rendered ahead with espeak-ng on a worker thread (its exact length is then
known), planned into the gaps of the speech (:mod:`clipsync.core.descriptions`), and played
through the second libVLC player (:class:`~clipsync.media.player.VoicePlayer`) at the playback
speed, with the main sound ducked meanwhile. When a description does not fit, the video waits at
the gap's end until it has been said (extended description, WCAG 1.2.7). A poll every 10 ms
feeds the :class:`DescriptionScheduler` the playback position and carries out what it answers.
With "hand descriptions to the screen reader" on, each is announced at its place instead, and
the video never waits (a player cannot know when a screen reader has finished reading).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from clipsync.core.descriptions import (
    Act,
    Action,
    Description,
    DescriptionScheduler,
    PauseMode,
    Plan,
    Rendering,
    VoiceSettings,
    VoiceUnavailable,
    render,
    speech_gaps,
)
from clipsync.core.settings import SettingsStore
from clipsync.core.text.article import Article
from clipsync.media.player import VoicePlayer
from clipsync.ui.player import PlaybackController, State

SETTINGS_KEY = "descriptions"


def load_voice_settings(settings: SettingsStore) -> VoiceSettings:
    return VoiceSettings.from_dict(settings.get(SETTINGS_KEY))


class DescriptionVoice(QObject):
    """The descriptions' voice for one window.

    ``make_voice`` makes the second player (``None``: no voice here, descriptions are only shown
    and announced); ``volume`` is the main sound's volume as the viewer set it, which ducking
    lowers and gives back; ``announce`` hands a text to the screen reader.
    """

    saying = Signal(object)  # the Description being said now, or None
    planned = Signal(object)  # the Plan, whenever it is made again
    problem = Signal(str)  # a description could not be rendered, in words
    _rendered = Signal(int, object, str)  # generation, {id: Rendering}, problem
    _sampled = Signal(object, int, str)  # Rendering (or None), volume, problem

    POLL_MS = 10

    def __init__(
        self,
        controller: PlaybackController,
        settings: SettingsStore,
        make_voice: Callable[[], VoicePlayer] | None,
        volume: Callable[[], int],
        announce: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller, self.settings = controller, settings
        self._make_voice, self._volume, self._announce = make_voice, volume, announce
        self.voice_settings = load_voice_settings(settings)
        self.voice: VoicePlayer | None = None
        self.scheduler = DescriptionScheduler(self.voice_settings.pause, poll_ms=self.POLL_MS)
        self.descriptions: tuple[Description, ...] = ()
        self.speaking_on = True  # said (else only rendered)
        self.renderings: dict[str, Rendering] = {}
        self.current: Description | None = None
        #: What was done, for tests and the benchmark: (wall s, position ms, act, description id).
        self.log: list[tuple[float, int, str, str]] = []
        self._article: Article | None = None
        self._generation = 0
        self._expect: State | None = None  # a state change this feature asked for itself
        self._folder = Path(tempfile.mkdtemp(prefix="clipsync-voice-"))  # the renders
        self._rendered.connect(self._renders_arrived, Qt.ConnectionType.QueuedConnection)
        self._sampled.connect(self._sample_arrived, Qt.ConnectionType.QueuedConnection)
        self._poll = QTimer(self)
        self._poll.setTimerType(Qt.TimerType.PreciseTimer)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self.tick)
        # Between two polls: a hold due sooner than the next poll gets a timer of its own.
        self._soon = QTimer(self)
        self._soon.setTimerType(Qt.TimerType.PreciseTimer)
        self._soon.setSingleShot(True)
        self._soon.timeout.connect(self.tick)
        controller.stateChanged.connect(self._state_changed)

    # What to say -----------------------------------------------------------------------
    def set_article(
        self, article: Article | None, descriptions: Sequence[Description], *, speak: bool = True
    ) -> None:
        """The article playing (its speech makes the gaps) and its descriptions, rendered (their
        lengths known, for the timing editor's warnings) and, when ``speak``, said."""
        self._article = article
        self.descriptions = tuple(descriptions)
        self.speaking_on = speak
        self._render_all()

    def lengths(self) -> dict[str, int]:
        """The spoken length of each description rendered (ms at 1x), by id."""
        return {did: done.length_ms for did, done in self.renderings.items()}

    def apply_settings(self, voice_settings: VoiceSettings) -> None:
        """New voice settings: kept, and the descriptions rendered again when the voice changed."""
        old, self.voice_settings = self.voice_settings, voice_settings.clamped()
        self.settings.set(SETTINGS_KEY, self.voice_settings.to_dict())
        if self.voice is not None:
            self.voice.set_volume(self.voice_settings.volume)
        if (old.voice, old.words_per_minute, old.pitch) != (
            voice_settings.voice,
            voice_settings.words_per_minute,
            voice_settings.pitch,
        ):
            self._render_all()
        else:
            self._load()

    def _render_all(self) -> None:
        self._generation += 1
        generation, settings, folder = self._generation, self.voice_settings, self._folder
        todo = [(d.id, d.text) for d in self.descriptions]
        if not todo:
            self._renders_arrived(generation, {}, "")
            return

        def work() -> None:
            done: dict[str, Rendering] = {}
            problem = ""
            for did, text in todo:
                try:
                    done[did] = render(text, settings, folder)
                except Exception as exc:  # on a worker thread: any failure is said, not lost
                    problem = (
                        str(exc) if isinstance(exc, VoiceUnavailable) else f"{type(exc).__name__}: {exc}"
                    )
                    break
            self._rendered.emit(generation, done, problem)

        threading.Thread(target=work, name="clipsync-voice", daemon=True).start()

    def _renders_arrived(self, generation: int, done: dict[str, Rendering], problem: str) -> None:
        if generation != self._generation:
            return
        self.renderings = done
        if problem:
            self.problem.emit(f"Descriptions cannot be spoken: {problem}")
        if self.descriptions and self.speaking_on:
            self._ensure_voice()  # made ahead: the first description must not wait for libVLC
        self._load()

    def _ensure_voice(self) -> VoicePlayer | None:
        if self.voice is None and self._make_voice is not None:
            try:
                self.voice = self._make_voice()
                self.voice.set_volume(self.voice_settings.volume)
            except Exception as exc:  # no libVLC here: shown and announced instead
                self._make_voice = None
                self.problem.emit(f"Descriptions cannot be spoken: {exc}")
        return self.voice

    def _load(self) -> None:
        """Plan again (new descriptions, lengths, mode, or the article's times edited)."""
        self._stop_voice()
        s = self.voice_settings
        handed = s.screen_reader or self.voice is None
        # A screen reader's reading time is unknown: the plan gives each no length, so none waits.
        items = [
            (d, 0 if handed else self.renderings[d.id].length_ms)
            for d in self.descriptions
            if self.speaking_on and (handed or d.id in self.renderings)
        ]
        article = self._article
        length = self.controller.length_ms or (article.duration_ms if article else None)
        gaps = speech_gaps(article, length) if article is not None else []
        self.scheduler = DescriptionScheduler(PauseMode.NEVER if handed else s.pause, poll_ms=self.POLL_MS)
        self.scheduler.set_rate(self.controller.rate)
        self.scheduler.load(items, gaps, self.controller.position())
        self.planned.emit(self.scheduler.plan)
        if items:
            self._poll.start()
        else:
            self._poll.stop()

    @property
    def plan(self) -> Plan:
        return self.scheduler.plan

    # Playing -----------------------------------------------------------------------------
    def tick(self) -> None:
        c = self.controller
        if c.rate != self.scheduler.rate:
            self.scheduler.set_rate(c.rate)
            if self.voice is not None:
                self.voice.set_rate(c.rate)
        running = c.state is State.PLAYING and c.clock.running
        position = c.position()
        self._do(self.scheduler.update(position, running, c.clock.wall()))
        slot = self.scheduler.speaking
        if running and slot is not None and slot.hold_ms is not None and not self.scheduler.holding:
            due_ms = (slot.hold_ms - position) / max(c.rate, 0.1)
            if due_ms < 2 * self.POLL_MS and not self._soon.isActive():
                self._soon.start(max(0, int(due_ms)))

    def _state_changed(self, state: State) -> None:
        if self._expect is not None:
            if state is self._expect:
                self._expect = None
            return
        if state is State.PAUSED:
            self._do(self.scheduler.user_paused())
        elif state is State.PLAYING:
            self._do(self.scheduler.user_resumed())

    def _do(self, actions: list[Action]) -> None:
        for action in actions:
            self._carry_out(action)
        speaking = self.scheduler.speaking.description if self.scheduler.speaking else None
        if speaking is not self.current:
            self.current = speaking
            self.saying.emit(speaking)

    def _carry_out(self, action: Action) -> None:
        c, s = self.controller, self.voice_settings
        slot = action.slot
        self.log.append((c.clock.wall(), c.position(), action.act.value, slot.description.id if slot else ""))
        handed = s.screen_reader or self.voice is None
        if action.act is Act.SPEAK and slot is not None:
            if handed:
                self._announce(slot.description.text)
            elif self.voice is not None:
                self.voice.speak(self.renderings[slot.description.id].path, c.rate)
        elif action.act is Act.DUCK and not handed:
            self._set_main_volume(self._volume() * s.duck // 100)
        elif action.act is Act.UNDUCK and not handed:
            self._set_main_volume(self._volume())
        elif action.act is Act.HOLD:
            self._expect = State.PAUSED
            c.pause()
            if c.state is State.PAUSED:
                self._expect = None
        elif action.act is Act.RELEASE:
            self._expect = State.PLAYING
            c.play()
        elif self.voice is not None and not handed:
            {
                Act.STOP: self.voice.stop,
                Act.PAUSE_VOICE: self.voice.pause,
                Act.RESUME_VOICE: self.voice.resume,
            }[action.act]()

    def _set_main_volume(self, percent: int) -> None:
        if self.controller.player is not None:
            self.controller.player.set_volume(percent)

    def _stop_voice(self) -> None:
        """Whatever is being said stops, the sound comes back and a held video goes on."""
        actions = self.scheduler.jumped(self.controller.position()) if self.scheduler.speaking else []
        self._do(actions)

    # The sample ----------------------------------------------------------------------------
    def speak_sample(self, text: str, voice_settings: VoiceSettings) -> None:
        """Say ``text`` now with ``voice_settings`` (the settings dialog's preview)."""
        settings, folder = voice_settings.clamped(), self._folder

        def work() -> None:
            try:
                self._sampled.emit(render(text, settings, folder), settings.volume, "")
            except VoiceUnavailable as exc:
                self._sampled.emit(None, 0, str(exc))

        threading.Thread(target=work, name="clipsync-voice-sample", daemon=True).start()

    def _sample_arrived(self, done: Rendering | None, volume: int, problem: str) -> None:
        voice = self._ensure_voice()
        if done is None or voice is None:
            self.problem.emit(f"The sample cannot be spoken: {problem or 'there is no second player'}")
            return
        voice.set_volume(volume)
        voice.speak(done.path, 1.0)
        self.log.append((self.controller.clock.wall(), self.controller.position(), "sample", done.path.name))

    def shutdown(self) -> None:
        self._poll.stop()
        if self.voice is not None:
            self.voice.release()
            self.voice = None
        # A render may still be writing into it: whatever is left is left to the system's cleaning.
        shutil.rmtree(self._folder, ignore_errors=True)
