"""The render stage: voiced episodes → vertical videos and everything that goes with them.

Three kinds of task, each cached by the runner:

* **sets** — each location's layers at the output size, ``.cliffhanger/cache/sets/``;
* **shots** — one closed-GOP segment per shot, ``.cliffhanger/cache/shots/<key>.mp4``,
  named by a hash of everything in its picture (times relative to the shot), so a shot
  that only moved in time is found again; they run in parallel through the executor;
* **episodes** — join the segments with the mix (no re-encode) and write the MP4, SRT,
  WebVTT, cover, OpenTimelineIO timeline, HLS and storyboard contact sheet.

``manifest.json`` is brought up to date last. Upstream stages (write, cast, voice) run
first and do nothing when fresh.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from cliffhanger.cast.base import Caster
from cliffhanger.cast.looks import set_look_for
from cliffhanger.cast.stages import cast_bible, make_caster
from cliffhanger.errors import StageError
from cliffhanger.formats.screenplay import script_from_fountain
from cliffhanger.model.bible import Bible, Location
from cliffhanger.pipeline.executors.base import EXECUTORS, Executor, pool_for
from cliffhanger.pipeline.hashing import canonical_json, sha256_bytes
from cliffhanger.pipeline.runner import OnConflict, Progress, Runner, RunReport
from cliffhanger.pipeline.summary import StageSummary
from cliffhanger.pipeline.task import Task
from cliffhanger.project import Project
from cliffhanger.render import captions
from cliffhanger.render.base import QUALITIES, Cue, Quality, QualityName, Shot
from cliffhanger.render.episode import EpisodeJob, encode_track, episode_files, render_episode
from cliffhanger.render.fonts import fonts_in_use
from cliffhanger.render.manifest import EpisodeEntry, update_manifest
from cliffhanger.render.shots import ShotJob, render_shot, save_set, threads_for, thumb_path
from cliffhanger.render.storyboard import FREEZE_S, Board, storyboard
from cliffhanger.settings import Settings
from cliffhanger.voice.stages import episode_files as audio_files

SET_VERSION = 1
FEW = 4  # stale tasks a thread pool takes instead of the process pool
SHOT_VERSION = 1
EPISODE_VERSION = 2
AUDIO_VERSION = 2
_EPISODE = re.compile(r"^ep(\d+)\.fountain$")
PALETTE = ("#ffffff", "#ffd166", "#7fdbff", "#ff9aa2", "#b5ead7", "#c7a4ff", "#ffb86b")
PRELOAD = ("numpy", "cv2", "skia", "av", "cliffhanger.render.shots", "cliffhanger.render.episode")


def set_path(location: str, quality: QualityName) -> str:
    return f".cliffhanger/cache/sets/{location}-{quality}.npz"


def track_path(lang: str, number: int) -> str:
    return f".cliffhanger/cache/audio/{lang}-ep{number:03d}.m4a"


def pieces_path(lang: str, number: int) -> str:
    """The episode track's encoded pieces (``render.aac``), by the hash of their sound."""
    return f".cliffhanger/cache/aac/{lang}-ep{number:03d}"


def shot_path(key: str) -> str:
    return f".cliffhanger/cache/shots/{key}.mp4"


def _draw_set(payload: tuple[Caster, Any, Any, int, int, str], staging: Path) -> None:
    caster, location, look, width, height, rel = payload
    save_set(caster.set(location, look, width, height), staging / rel)


def _run_shot(payload: tuple[ShotJob, int], staging: Path) -> None:
    job, threads = payload
    render_shot(job, staging, threads)


@dataclass
class RenderSummary(StageSummary):
    project: str
    quality: QualityName
    language: str
    episodes: list[int] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    shots: int = 0
    shots_rendered: int = 0
    seconds: float = 0.0
    video_seconds: float = 0.0
    report: RunReport = field(default_factory=RunReport)


def colours(bible: Bible) -> dict[str, str]:
    """Each character's subtitle colour: the lead in white, the rest from a palette of
    hues that read on any picture."""
    return {c.id: PALETTE[i % len(PALETTE)] for i, c in enumerate(bible.characters)}


def render(
    project: Project,
    settings: Settings,
    *,
    episodes: str | None = None,
    quality: QualityName | None = None,
    on_conflict: OnConflict = "refuse",
    progress: Progress | None = None,
) -> RenderSummary:
    """Render whatever shot or episode is stale (voice the episodes first if needed)."""
    from cliffhanger.voice.stages import voice

    start = time.perf_counter()
    q = QUALITIES[quality or settings.render.quality]
    lang = settings.series.lang
    voiced = voice(project, settings, episodes=episodes, on_conflict=on_conflict, progress=progress)
    bible = cast_bible(project, settings)
    caster = make_caster(settings, project)
    places = {loc.name.upper(): loc.id for loc in bible.locations}
    locations = {loc.id: loc for loc in bible.locations}
    characters = {c.id: c for c in bible.characters}
    numbers = sorted(voiced.episodes)
    all_numbers = _all_episodes(project)
    workers = settings.pipeline.workers
    threads = threads_for(workers or _cores())
    summary = RenderSummary(str(project.root), q.name, lang)
    set_tasks: dict[str, Task] = {}
    shot_tasks: dict[str, Task] = {}
    episode_tasks: list[Task] = []
    audio_tasks: list[Task] = []
    boards: dict[int, Board] = {}
    titles = {n: _episode_title(project, n) for n in all_numbers}
    try:
        fingerprint = caster.fingerprint()
        accent = _accent(bible)
        for number in numbers:
            script_rel = Project.script(number)
            path = project.path(script_rel)
            script = script_from_fountain(
                path.read_text(encoding="utf-8"), path=path, locations=places
            )
            lines_rel = audio_files(lang, number)[-1]
            lines_json = json.loads(project.path(lines_rel).read_text(encoding="utf-8"))
            next_title = titles.get(number + 1)
            board = storyboard(
                script,
                bible,
                lines_json,
                next_title=next_title,
                words_per_minute=settings.writing.words_per_minute,
                fps=q.fps,
            )
            boards[number] = board
            cues = captions.cues(
                lines_json["lines"], colours(bible), max_chars=settings.render.subtitle_chars
            )
            segments: list[str] = []
            for shot in board.shots:
                set_rel = ""
                loc = locations.get(shot.location)
                if loc is None and shot.kind != "end" and 0 <= shot.scene < len(script.scenes):
                    loc = unlisted_place(script.scenes[shot.scene].heading, settings.series.seed)
                if loc is not None and loc.look is not None:
                    set_rel = set_path(loc.id, q.name)
                    set_tasks.setdefault(
                        set_rel,
                        Task(
                            stage="sets",
                            version=SET_VERSION,
                            name=f"set-{loc.id}",
                            outputs=(set_rel,),
                            fn=_draw_set,
                            payload=(caster, loc, loc.look, q.width, q.height, set_rel),
                            params={
                                "provider": fingerprint,
                                # The whole place: an image provider paints from its words.
                                "place": loc.model_dump(mode="json"),
                                "size": [q.width, q.height],
                            },
                        ),
                    )
                until = board.title_s - round(shot.start * q.fps) / q.fps
                opening = (board.title, round(until, 3)) if board.title and until > 0 else ("", 0.0)
                job = _shot_job(
                    shot, q, cues, characters, caster, project, set_rel, settings, accent, opening
                )
                params = _picture_of(job, characters, set_rel)
                key = sha256_bytes(
                    canonical_json({**params, "provider": fingerprint, "version": SHOT_VERSION})
                )[:32]
                rel = shot_path(key)
                job = replace(job, out=rel)
                segments.append(rel)
                shot_tasks.setdefault(
                    rel,
                    Task(
                        stage="shots",
                        version=SHOT_VERSION,
                        name=f"ep{number:03d}-shot{shot.index:03d}",
                        outputs=(rel, thumb_path(rel)),
                        fn=_run_shot,
                        payload=(job, threads),
                        inputs=(set_rel,) if set_rel else (),
                        params={"key": key},
                    ),
                )
            mix_rel = audio_files(lang, number)[3]
            track = track_path(lang, number)
            audio_tasks.append(
                Task(
                    stage="shots",
                    version=AUDIO_VERSION,
                    name=f"ep{number:03d}-audio",
                    outputs=(track,),
                    fn=encode_track,
                    payload=(
                        str(project.path(mix_rel)),
                        board.seconds,
                        q.audio_kbps,
                        settings.mix.true_peak_db,
                        track,
                        str(project.path(pieces_path(lang, number))),
                    ),
                    inputs=(mix_rel,),
                    params={
                        "seconds": board.seconds,
                        "kbps": q.audio_kbps,
                        "ceiling": settings.mix.true_peak_db,
                    },
                )
            )
            ep_job = EpisodeJob(
                number=number,
                title=titles[number] or f"Episode {number}",
                series=bible.title,
                language=lang,
                quality=q,
                board=board,
                cues=tuple(cues),
                segments=tuple(segments),
                audio=mix_rel,
                track=track,
                root=str(project.root),
                hls_segment_s=settings.render.hls_segment_s,
            )
            episode_tasks.append(
                Task(
                    stage="episodes",
                    version=EPISODE_VERSION,
                    name=f"ep{number:03d}",
                    outputs=episode_files(lang, number),
                    fn=render_episode,
                    payload=ep_job,
                    inputs=(*segments, track, mix_rel, lines_rel),
                    params={
                        "quality": q.name,
                        "series": bible.title,
                        "title": ep_job.title,
                        "hls": settings.render.hls_segment_s,
                    },
                )
            )
    except BaseException:
        caster.close()
        raise
    pool = pool_for(settings.pipeline.executor, workers, preload=PRELOAD)

    def executor(stale: int) -> Executor:
        # A few stale shots (one line changed) go to threads: a process pool's start-up
        # (a fork server importing skia, OpenCV and PyAV) costs more than it would save,
        # and the encoder, OpenCV and numpy all work outside the GIL.
        if 1 < stale <= FEW and settings.pipeline.executor == "process":
            return EXECUTORS.create("thread", workers)
        return pool(stale)

    def set_executor(stale: int) -> Executor:
        if settings.pipeline.executor == "process":
            # Stale sets mean a first render: the shots after them will want the process
            # pool, so its fork server imports while the sets are drawn.
            from cliffhanger.pipeline.executors.local import start_fork_server

            start_fork_server(PRELOAD)
        return executor(stale)

    try:
        with Runner(project.root, on_conflict=on_conflict, progress=progress) as runner:
            summary.report.merge(runner.run(list(set_tasks.values()), set_executor))
            # Longest first: the pool never ends on one long shot running alone.
            ordered = sorted(shot_tasks.values(), key=lambda t: -t.payload[0].frames)
            shots = runner.run([*audio_tasks, *ordered], executor)  # audio: short, first
            summary.report.merge(shots)
            summary.shots = len(shot_tasks)
            summary.shots_rendered = sum(1 for name in shots.ran if "-shot" in name)
            try:
                summary.report.merge(runner.run(episode_tasks, executor))
            except StageError as e:  # the episodes that did finish still get listed
                broken = set(e.artifact.split(", "))
                _publish(project, lang, q, bible, boards, titles, summary, skip=broken)
                raise
    finally:
        caster.close()
    _publish(project, lang, q, bible, boards, titles, summary)
    summary.episodes = numbers
    summary.seconds = time.perf_counter() - start
    return summary


def _publish(
    project: Project,
    lang: str,
    q: Quality,
    bible: Bible,
    boards: dict[int, Board],
    titles: dict[int, str | None],
    summary: RenderSummary,
    skip: frozenset[str] | set[str] = frozenset(),
) -> None:
    """List each finished episode in ``out/<lang>/manifest.json`` (files and hashes)."""
    folder = project.path(f"out/{lang}")
    for number, board in boards.items():
        if f"ep{number:03d}" in skip:
            continue
        files = episode_files(lang, number)
        summary.files += list(files)
        summary.video_seconds += board.seconds
        update_manifest(
            folder,
            EpisodeEntry(
                number=number,
                title=titles[number] or f"Episode {number}",
                duration=board.seconds,
                width=q.width,
                height=q.height,
                quality=q.name,
                files={
                    k: str(Path(f).relative_to(f"out/{lang}"))
                    for k, f in zip(
                        ("mp4", "srt", "vtt", "cover", "otio", "hls", "storyboard"),
                        files,
                        strict=True,
                    )
                },
            ),
            series=bible.title,
            language=lang,
        )


def unlisted_place(heading: str, seed: int) -> Location:
    """A set for a scene whose heading names no place in the bible (a hand-written or
    LLM-written scene): its kind and light read from the heading's words."""
    place = re.sub(r"^(INT|EXT|INT\./EXT|I/E)\.?\s*", "", heading.strip(), flags=re.I)
    name, _, when = place.partition(" - ")
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "somewhere"
    time_of_day = next((t for t in ("night", "dusk", "dawn") if t in when.lower()), "day")
    location = Location(
        id=f"unlisted_{slug}",
        name=name.title() or "Somewhere",
        interior=not heading.upper().startswith("EXT"),
        time_of_day=time_of_day,
    )
    return location.model_copy(update={"look": set_look_for(location, seed)})


def _local(shot: Shot, fps: int, cues: list[Cue]) -> tuple[Shot, int, tuple[Cue, ...]]:
    """The shot in its own time (frame-exact), its frame count and its cues. Cue times go
    to the frame grid (subtitles change on frames anyway): a cue's millisecond rounding
    must not make a shot that only moved look new."""
    first, last = round(shot.start * fps), round(shot.end * fps)
    local = shot.with_(start=0.0, end=(last - first) / fps, index=0)
    mine = tuple(
        Cue(
            0,  # the episode's numbering is not part of the picture
            round(c.start * fps - first) / fps,
            round(c.end * fps - first) / fps,
            c.speaker,
            c.name,
            c.text,
            c.colour,
            c.lines,
        )
        for c in cues
        if round(c.end * fps) > first and round(c.start * fps) < last
    )
    return local, last - first, mine


def _picture_of(job: ShotJob, characters: dict[str, Any], set_rel: str) -> dict[str, Any]:
    """Everything the shot's picture depends on, as JSON: its cache key."""
    return {
        "shot": _jsonable(asdict(job.shot)),
        "frames": job.frames,
        "quality": asdict(job.quality),
        # The whole character: an image provider draws from the appearance's words too.
        "people": {w: characters[w].model_dump(mode="json", exclude={"voice"}) for w in job.actors},
        "fonts": fonts_in_use(),
        "set": set_rel,
        "cues": [_jsonable(asdict(c)) for c in job.cues],
        "label": job.label,
        "credits": list(job.credits),
        "opening": [job.title, job.title_until],
        "freeze": _jsonable(job.freeze_at),
        "accent": list(job.accent),
        "seed": job.seed,
    }


def _shot_job(
    shot: Shot,
    q: Quality,
    cues: list[Cue],
    characters: dict[str, Any],
    caster: Caster,
    project: Project,
    set_rel: str,
    settings: Settings,
    accent: tuple[int, int, int],
    opening: tuple[str, float],
) -> ShotJob:
    """The shot's job in its own time (its segment's path is set once its key is known)."""
    local, frames, mine = _local(shot, q.fps, cues)
    actors = {
        f.character: caster.actor(characters[f.character], characters[f.character].look)
        for f in local.figures
        if f.character in characters
    }
    return ShotJob(
        shot=local,
        frames=frames,
        quality=q,
        actors=actors,
        set_file=str(project.path(set_rel)) if set_rel else "",
        cues=mine,
        label=settings.render.ai_label,
        credits=_credits(settings),
        title=opening[0],
        title_until=opening[1],
        freeze_at=local.end - FREEZE_S if shot.freeze else float("inf"),
        accent=accent,
        seed=settings.series.seed,
        out="",
    )


def _credits(settings: Settings) -> tuple[str, ...]:
    number = settings.render.filing_number
    return (f"Filing No. {number}",) if number else ()


def _accent(bible: Bible) -> tuple[int, int, int]:
    """The end card's colour: the lead's outfit, else a drama red."""
    for c in bible.characters:
        if c.look is not None and c.look.colors:
            h = c.look.colors[0].lstrip("#")
            return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    return (200, 40, 70)


def _jsonable(value: Any) -> Any:
    """Tuples → lists and infinities → None, so the value hashes as canonical JSON."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _all_episodes(project: Project) -> set[int]:
    found = (_EPISODE.match(p.name) for p in project.path("scripts").glob("ep*.fountain"))
    return {int(m[1]) for m in found if m}


def _episode_title(project: Project, number: int) -> str | None:
    """The ``Episode title:`` a script's title page gives, if any."""
    path = project.path(Project.script(number))
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").splitlines()[:12]:
        if line.lower().startswith("episode title:"):
            return line.split(":", 1)[1].strip() or None
    return None


def _cores() -> int:
    return os.cpu_count() or 1
