"""``clipsync batch`` on the local process pool: manifests (JSON Lines, CSV, a folder, bad
lines), real alignment of short human and synthesized clips, outputs and report, resume,
``--force`` and ``--retry-failed``, media and text at http addresses of a loopback server,
the memory limit, and the message when Dask is not installed."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from clipsync.batch import BadLine, Item, main, read_items
from clipsync.batch.inputs import knowable
from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import load_sync
from media_server import MediaServer
from test_batch_support import (
    EXAMPLE,
    assert_whole,
    items,
    make_archive,
    outputs,
    report,
    run_batch,
    write_manifest,
)


def local_run(base: Path) -> tuple[Path, Path, dict[str, dict[str, Any]]]:
    """The nine short clips aligned once per test session by 2 local workers: (manifest,
    output folder, item events). test_batch_cluster compares Dask's outputs with these."""
    manifest, outdir, saved = (
        base / "archive" / "manifest.jsonl",
        base / "local-out",
        base / "local-events.json",
    )
    if not saved.exists():
        write_manifest(manifest, make_archive(base / "archive"))
        code, events = run_batch(manifest, outdir, "--workers", "2")
        assert code == 0, events[-1]
        saved.write_text(json.dumps(events))
    return manifest, outdir, items(json.loads(saved.read_text()))


@pytest.fixture
def archive(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    """The manifest rows of the nine short clips (the synthesized ones made once a session)."""
    return make_archive(tmp_path_factory.getbasetemp() / "archive")


@pytest.fixture
def local(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, dict[str, Any]]]:
    return local_run(tmp_path_factory.getbasetemp())


# -- manifests ------------------------------------------------------------------------------


def test_the_example_manifest_in_json_lines_and_csv(tmp_path: Path) -> None:
    jsonl = read_items(EXAMPLE, tmp_path)
    csv = read_items(EXAMPLE.with_suffix(".csv"), tmp_path)
    assert all(isinstance(i, Item) for i in jsonl + csv)
    by_id = {i.id: i for i in jsonl if isinstance(i, Item)}
    assert len(by_id) == 7
    media = Path(by_id["cards-001"].media)
    assert media.is_file() and media.parent.name == "human-speech"  # relative to the manifest
    assert by_id["cards-001"].out == tmp_path / "cards-001.sync.json"
    assert by_id["goforward"].out == tmp_path / "robot" / "goforward.sync.json"  # id from the media
    assert [(i.id, i.media, i.text, i.out) for i in csv] == [
        (by_id[i.id].id, by_id[i.id].media, by_id[i.id].text, by_id[i.id].out) for i in csv
    ]


def test_bad_lines_are_reported_with_file_line_and_reason(tmp_path: Path) -> None:
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(
        "\n".join(
            [
                '{"media": "a.wav", "text": "a.txt"}',
                '{"media": "b.wav"}',
                "not json",
                '{"media": "c.wav", "text": "c.txt", "colour": "red"}',
                '{"media": "d.wav", "text": "d.txt", "id": "a"}',
                '{"media": "e.wav", "text": "e.txt", "out": "../e.sync.json"}',
                '{"media": 5, "text": "f.txt"}',
                "[1, 2]",
                '{"media": "http://127.0.0.1:9/g.mp4", "text": "g.txt", "id": "x/y"}',
                "",
                '{"media": "http://127.0.0.1:9/news/h.mp4?s=1", "text": "https://127.0.0.1:9/h"}',
            ]
        )
    )
    got = read_items(manifest, tmp_path / "out")
    bad = {i.line: i.reason for i in got if isinstance(i, BadLine)}
    where = f"{manifest}:"
    assert bad == {
        2: where + '2: "text" is missing',
        3: where + "3: not a JSON object (Expecting value at column 1)",
        4: where + "4: unknown key 'colour' (the keys are id, media, text, out)",
        5: where + '5: the id "a" is already used on line 1',
        6: where + '6: "out" must stay inside the output folder (got "../e.sync.json")',
        7: where + '7: "media" must be a string, not 5',
        8: where + "8: not a JSON object",
        9: where
        + '9: the id "x/y" cannot be a file name (no /, \\, :, *, ?, quotes, <, >, | or leading dot)',
    }
    good = [i for i in got if isinstance(i, Item)]
    assert [(i.id, i.line) for i in good] == [("a", 1), ("h", 11)]
    assert good[1].media.startswith("http://") and good[1].text == "https://127.0.0.1:9/h"


def test_csv_problems(tmp_path: Path) -> None:
    no_header = tmp_path / "a.csv"
    no_header.write_text("clip.wav,clip.txt\n")
    with pytest.raises(
        InputError, match=r"a\.csv:1: the first row must name the columns .*media and text are missing"
    ):
        read_items(no_header, tmp_path)
    short = tmp_path / "b.csv"
    short.write_text("media,text\nclip.wav,clip.txt\nonly-one\n")
    got = read_items(short, tmp_path)
    assert isinstance(got[0], Item) and got[0].id == "clip"
    assert isinstance(got[1], BadLine) and got[1].reason == f"{short}:3: 1 columns where the first row has 2"
    with pytest.raises(InputError, match=r"e\.jsonl: the file is empty"):
        read_items(write_manifest(tmp_path / "e.jsonl", []), tmp_path)
    (tmp_path / "c.jsonl").write_text("# nothing yet\n\n")
    with pytest.raises(InputError, match=r"c\.jsonl: the manifest lists no items"):
        read_items(tmp_path / "c.jsonl", tmp_path)
    with pytest.raises(InputError, match="file not found"):
        read_items(tmp_path / "nowhere.jsonl", tmp_path)


def test_a_folder_pairs_media_with_their_articles(tmp_path: Path) -> None:
    for name in ("one.wav", "one.txt", "two.mp4", "two.md", "three.mp3", "notes.txt", "one.m4a"):
        (tmp_path / name).write_bytes(b"x")
    got = read_items(tmp_path, tmp_path / "out")
    assert [(i.id, Path(i.text).name) for i in got if isinstance(i, Item)] == [
        ("one", "one.txt"),
        ("two", "two.md"),
    ]
    bad = sorted(i.reason for i in got if isinstance(i, BadLine))
    assert bad == [
        f"{tmp_path / 'one.wav'}: one.m4a has the same name",
        f"{tmp_path / 'three.mp3'}: no article beside it (looked for three.txt, three.md, three.html, three.htm)",
    ]


# -- a real run on the local pool -------------------------------------------------------------


def test_local_pool_aligns_every_clip(local: tuple[Path, Path, dict[str, dict[str, Any]]]) -> None:
    _, outdir, events = local
    assert assert_whole(outdir) == set(events)  # every item has its whole output
    assert all(e["status"] == "ok" for e in events.values())
    lines = report(outdir)
    assert set(lines) == set(events) and len(lines) == 9
    for line in lines.values():
        assert line["timed"] >= 1 and line["audio_s"] > 0.5 and line["work_s"] > 0 and line["runs"] == 1
        assert line["worker"].count(":") == 1 and line["peak_mb"] > 50
    assert len({line["worker"] for line in lines.values()}) == 2  # both workers did some
    # The headline of each card hand is not said: reported, not forced onto the sound.
    assert lines["cards-005"]["not_said"] == ["s1"] and lines["cards-005"]["timed"] == 3
    article = load_sync(outdir / "robot" / "goforward.sync.json")
    assert [s.text for s in article.sentences if s.timed] == ["Go forward ten meters."]
    made_from = json.loads((outdir / "synth-flite.sync.json").read_text())["made_from"]
    media = made_from["media"]
    assert media["size"] == os.stat(media["file"]).st_size and made_from["aligner"].startswith("clipsync ")


def test_a_second_run_skips_what_is_done_and_redoes_what_changed(
    local: tuple[Path, Path, dict[str, dict[str, Any]]], tmp_path: Path
) -> None:
    manifest, done, _ = local
    outdir = tmp_path / "out"
    shutil.copytree(done, outdir)
    archive = tmp_path / "archive"
    shutil.copytree(manifest.parent, archive)
    keep = ("cards-001", "cards-002", "cards-003", "synth-flite", "synth-espeak")
    rows = [row for raw in manifest.read_text().splitlines() if (row := json.loads(raw)).get("id") in keep]
    for row in rows:
        for key in ("media", "text"):
            if row[key].startswith(str(manifest.parent)):
                row[key] = str(archive / Path(row[key]).name)
    manifest = write_manifest(tmp_path / "manifest.jsonl", rows)
    # The same inputs moved: the path is part of what an output was made from.
    code, events = run_batch(manifest, outdir, "--workers", "2")
    assert code == 0
    redone = {i for i, e in items(events).items() if e["status"] == "ok"}
    assert redone == {"synth-espeak", "synth-flite"}
    before = outputs(outdir)
    code, events = run_batch(manifest, outdir, "--workers", "2")
    assert code == 0 and all(e["status"] == "skipped" for e in items(events).values())
    assert outputs(outdir) == before  # nothing rewritten
    assert "done before" in items(events)["cards-001"]["reason"]
    # A changed text, a touched media, a truncated output, a lost WebVTT: those four are redone.
    text = archive / "synth-flite.txt"
    text.write_text(text.read_text().replace("third", "fourth"))
    media = archive / "synth-espeak.wav"
    os.utime(media, (media.stat().st_atime, media.stat().st_mtime + 5))
    cut = outdir / "cards-002.sync.json"
    cut.write_bytes(cut.read_bytes()[:200])
    (outdir / "cards-003.vtt").unlink()
    code, events = run_batch(manifest, outdir, "--workers", "2")
    got = {i: e["status"] for i, e in items(events).items()}
    assert code == 0 and {i for i, s in got.items() if s == "ok"} == {
        "synth-flite",
        "synth-espeak",
        "cards-002",
        "cards-003",
    }
    assert_whole(outdir)
    # --force redoes everything.
    code, events = run_batch(manifest, outdir, "--workers", "2", "--force")
    assert code == 0 and all(e["status"] == "ok" for e in items(events).values()) and len(items(events)) == 5


def test_bad_items_are_reported_and_retried_only_when_asked(
    tmp_path: Path, archive: list[dict[str, str]]
) -> None:
    """A bad item fails with its reason and the others go on; the next run skips the failures
    of the same inputs unless --retry-failed."""
    (tmp_path / "noise.wav").write_bytes(b"RIFF but not really a wave file" * 10)
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "other.txt").write_text("Weather\n\nSnow is falling on the northern hills tonight.\n")
    rows = [r for r in archive if r.get("id") in ("cards-001", "synth-espeak")]
    rows += [
        {"id": "undecodable", "media": str(tmp_path / "noise.wav"), "text": rows[0]["text"]},
        {"id": "missing", "media": str(tmp_path / "gone.wav"), "text": rows[0]["text"]},
        {"id": "empty-text", "media": rows[0]["media"], "text": str(tmp_path / "empty.txt")},
        {"id": "not-said", "media": rows[1]["media"], "text": str(tmp_path / "other.txt")},
    ]
    manifest = write_manifest(tmp_path / "m.jsonl", rows)
    code, events = run_batch(manifest, tmp_path / "out", "--workers", "2")
    got = items(events)
    assert code == 1
    assert {i: e["status"] for i, e in got.items()} == {
        "cards-001": "ok",
        "synth-espeak": "ok",
        "undecodable": "failed",
        "missing": "failed",
        "empty-text": "failed",
        "not-said": "failed",
    }
    assert got["undecodable"]["kind"] == "media" and "cannot be read as media" in got["undecodable"]["reason"]
    assert got["missing"]["reason"] == f"{tmp_path / 'gone.wav'}: file not found"
    assert got["empty-text"]["kind"] == "text" and "no article text found" in got["empty-text"]["reason"]
    assert got["not-said"]["kind"] == "text" and "does not match the speech" in got["not-said"]["reason"]
    summary = events[-1]
    assert summary["failed"] == 4 and summary["failures"]["text"]["count"] == 2
    assert assert_whole(tmp_path / "out") == {"cards-001", "synth-espeak"}
    # Again: the aligner's failures are not tried again (same inputs), unless asked.
    code, events = run_batch(manifest, tmp_path / "out", "--workers", "2")
    got = items(events)
    assert got["not-said"]["status"] == "skipped" and "--retry-failed" in got["not-said"]["reason"]
    assert got["undecodable"]["status"] == "skipped" and got["cards-001"]["status"] == "skipped"
    assert report(tmp_path / "out")["not-said"]["failed_before"] is True
    code, events = run_batch(manifest, tmp_path / "out", "--workers", "2", "--retry-failed")
    got = items(events)
    assert got["not-said"]["status"] == "failed" and got["undecodable"]["status"] == "failed"
    assert got["cards-001"]["status"] == "skipped"


def test_media_and_article_at_addresses_of_a_loopback_server(
    tmp_path: Path, archive: list[dict[str, str]]
) -> None:
    clip = next(r for r in archive if r.get("id") == "synth-flite")
    server = MediaServer({"clip.wav": Path(clip["media"]), "clip.txt": Path(clip["text"])})
    try:
        rows = [
            {"id": "remote", "media": server.url("good", "clip.wav"), "text": server.url("good", "clip.txt")},
            {"id": "gone", "media": server.url("good", "nothing.wav"), "text": clip["text"]},
        ]
        manifest = write_manifest(tmp_path / "m.jsonl", rows)
        code, events = run_batch(manifest, tmp_path / "out", "--workers", "1")
        got = items(events)
        assert code == 1 and got["remote"]["status"] == "ok" and got["remote"]["timed"] == 2
        assert got["gone"]["kind"] == "network" and "HTTP 404 Not Found" in got["gone"]["reason"]
        assert [r.method for r in server.requested("good", "clip.wav")] == ["HEAD", "GET"]
        made_from = json.loads((tmp_path / "out" / "remote.sync.json").read_text())["made_from"]
        assert made_from["media"] == {"url": server.url("good", "clip.wav")}  # no ETag: nothing to compare
        # Without an ETag or a Last-Modified date nothing says the address holds the same media:
        # a next run aligns it again.
        assert not knowable(made_from["media"])
    finally:
        server.stop()


def test_the_memory_limit_fails_an_item_that_needs_more(
    tmp_path: Path, archive: list[dict[str, str]]
) -> None:
    rows = [r for r in archive if r.get("id") == "cards-001"]
    code, events = run_batch(
        write_manifest(tmp_path / "m.jsonl", rows), tmp_path / "out", "--memory-limit", "60MB"
    )
    line = items(events)["cards-001"]
    assert code == 1 and line["kind"] == "memory"
    assert (
        line["reason"].startswith("memory limit passed: the worker used ")
        and "(limit 60 MB)" in line["reason"]
    )
    assert not list((tmp_path / "out").glob("*.sync.json"))


def test_without_distributed_the_message_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    assert main([str(EXAMPLE), "-o", str(tmp_path), "--local-cluster", "2"]) == 1
    err = capsys.readouterr().err
    assert "needs the 'distributed' package" in err and "pip install 'clipsync[cluster]'" in err
    assert main([str(tmp_path / "none.jsonl"), "-o", str(tmp_path)]) == 1
    assert "none.jsonl: file not found" in capsys.readouterr().err
