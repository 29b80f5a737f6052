"""The voice stage: every spoken line synthesized once, then each episode scored and mixed.

Two groups of tasks through the runner:

* one **line** task per distinct spoken line — its speaker's tune, its words, its delivery
  (from the parenthetical's emotion), the language and the provider's fingerprint make its
  key and its file name (``.cliffhanger/cache/lines/<key>.npz``), so changing one line
  re-synthesizes that line only; lines run in parallel (a process pool);
* one **episode** task per episode, reading its script and its lines' files: it places the
  lines on the timeline, makes the mouth track of each, lays the score and the effects from
  the cue sheet, mixes and masters, and writes ``out/<lang>/audio/epNNN.{dialogue,music,
  effects,mix}.wav`` and ``epNNN.lines.json``.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cliffhanger.audio.base import RATE, write_wav
from cliffhanger.errors import ProjectError, ProviderError, UsageError
from cliffhanger.formats.screenplay import script_from_fountain
from cliffhanger.formats.yamlio import load_model
from cliffhanger.model.bible import Bible, Character
from cliffhanger.model.script import Line, Script
from cliffhanger.model.voicing import VoiceTune
from cliffhanger.pipeline.executors.base import EXECUTORS, Executor, pool_for
from cliffhanger.pipeline.hashing import canonical_json, sha256_bytes
from cliffhanger.pipeline.runner import OnConflict, Progress, Runner, RunReport
from cliffhanger.pipeline.summary import StageSummary
from cliffhanger.pipeline.task import Task
from cliffhanger.project import Project
from cliffhanger.score.cues import mood_for_scene
from cliffhanger.score.music import MUSIC_VERSION
from cliffhanger.settings import MixSettings, Settings
from cliffhanger.voice import mouth, prosody
from cliffhanger.voice.base import SPEAKERS, Delivery, Phone, Speaker, Speech
from cliffhanger.voice.casting import complete_voices
from cliffhanger.voice.timeline import FRAME_RATE, place

# What a line or episode worker needs: imported once in the fork server, not per worker.
PRELOAD = (
    "numpy",
    "scipy.signal",
    "scipy.ndimage",
    "onnxruntime",
    "piper",
    "parselmouth",
    "cliffhanger.voice.stages",
    "cliffhanger.voice.piper",
    "cliffhanger.mix.master",
    "cliffhanger.score.render",
)

TAIL_S = 0.6  # silence after the last element
MAX_EFFECT_S = 6.0  # the longest an effect rings on (the cliffhanger hit is 4 s)
FADE_OUT_S = 0.05

LINE_VERSION = 1  # bump when synthesis or design changes what a line sounds like
EPISODE_VERSION = 5  # bump when the timeline, score or mix changes


def audio_dir(lang: str) -> str:
    return f"out/{lang}/audio"


def episode_files(lang: str, number: int) -> tuple[str, ...]:
    base = f"{audio_dir(lang)}/ep{number:03d}"
    return tuple(
        f"{base}.{part}"
        for part in ("dialogue.wav", "music.wav", "effects.wav", "mix.wav", "lines.json")
    )


def line_path(key: str) -> str:
    return f".cliffhanger/cache/lines/{key}.npz"


def bed_path(mood: str, seed: int) -> str:
    return f".cliffhanger/cache/beds/{mood}-{seed}.npy"


def _bed(payload: tuple[str, int, str], staging: Path) -> None:
    """A mood's bed loop, rendered while the lines are spoken (it does not need them)."""
    from cliffhanger.score.music import bed_loop

    mood, seed, rel = payload
    path = staging / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.save(fh, np.asarray(bed_loop(mood, seed).samples), allow_pickle=False)


# -- lines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineJob:
    text: str
    tune: VoiceTune
    delivery: Delivery
    language: str

    def key(self, fingerprint: str) -> str:
        body = {
            "v": LINE_VERSION,
            "provider": fingerprint,
            "text": self.text,
            "tune": self.tune.model_dump(mode="json"),
            "delivery": asdict(self.delivery),
            "language": self.language,
        }
        return sha256_bytes(canonical_json(body))[:32]


def _speak(payload: tuple[Speaker, LineJob, str], staging: Path) -> None:
    speaker, job, rel = payload
    speech = speaker.speak(job.text, job.tune, job.delivery, job.language)
    from cliffhanger.voice import design  # scipy.signal: only when a line is spoken

    speech = design.apply(speech, job.tune, job.delivery)
    path = staging / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    phones = json.dumps([[p.symbol, p.start, p.end] for p in speech.phones])
    with open(path, "wb") as fh:
        np.savez(fh, samples=speech.samples.astype(np.float32), rate=speech.rate, phones=phones)


def load_line(path: Path) -> Speech:
    with np.load(path, allow_pickle=False) as data:
        timed = json.loads(str(data["phones"]))
        phones = tuple(Phone(str(s), float(a), float(b)) for s, a, b in timed)
        return Speech(data["samples"].astype(np.float32), int(data["rate"]), phones)


# -- episodes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EpisodeJob:
    number: int
    script: Script
    speakers: tuple[str, ...]  # each line's character id, in script order
    names: tuple[str, ...]
    lines: tuple[str, ...]  # each line's file (relative), in script order
    language: str
    seed: int
    mix: MixSettings
    music_dir: str  # absolute, or "" when the project has no music library
    root: str  # the project: the lines' files are there by the time episodes run
    beds: tuple[tuple[str, str], ...]  # (mood, file) of the bed loops rendered beforehand
    words_per_minute: float  # for the elements the voice does not time (action, transitions)


def _episode(payload: EpisodeJob, staging: Path) -> None:
    from cliffhanger.mix.master import Stems, mix_and_master
    from cliffhanger.score.cues import cues
    from cliffhanger.score.render import lay_effects, lay_music

    job = payload
    speech = [load_line(Path(job.root) / rel) for rel in job.lines]
    timed = place(job.script, {i: s.seconds for i, s in enumerate(speech)}, job.words_per_minute)
    sheet = cues(job.script, {i: (t.start, t.end) for i, t in enumerate(timed)})
    # The episode runs until the last element is over and every effect has rung out (the
    # cliffhanger's hit is seconds long and starts as the last element ends).
    floor = round((max((t.end for t in timed), default=0.0) + TAIL_S) * RATE)
    effects = lay_effects(sheet, floor + round(MAX_EFFECT_S * RATE), job.seed)
    sounding = np.flatnonzero(np.abs(effects).max(axis=1) > 1e-4)
    n = max(floor, int(sounding[-1]) + round(0.2 * RATE) if len(sounding) else 0)
    effects = effects[:n]
    dialogue = np.zeros(n, np.float32)
    records: list[dict[str, Any]] = []
    line_times = [t for t in timed if isinstance(t.element, Line)]
    for i, (t, s) in enumerate(zip(line_times, speech, strict=True)):
        start = round(t.start * RATE)
        end = min(n, start + len(s.samples))
        dialogue[start:end] += s.samples[: end - start]
        line = t.element
        assert isinstance(line, Line)
        keys = mouth.track(s)
        records.append(
            {
                "index": i,
                "speaker": job.speakers[i],
                "name": job.names[i],
                "text": line.text,
                "emotion": line.emotion,
                "start": round(t.start, 6),
                "end": round(t.start + s.seconds, 6),  # the render cuts on it, to the frame
                "dual": line.dual,
                "mouth": _on_frames(keys, t.start),
            }
        )
    loops = {mood: np.load(Path(job.root) / rel) for mood, rel in job.beds}
    music = lay_music(sheet, n, job.seed, job.music_dir, loops)
    parts = ("dialogue", "music", "effects", "mix", "lines")
    out = dict(zip(parts, episode_files(job.language, job.number), strict=True))
    held = _last_master(Path(job.root) / out["lines"])
    final, report = mix_and_master(Stems(dialogue, music, effects), job.mix, hold=held)
    assert report.master is not None
    fade = min(len(final), round(FADE_OUT_S * RATE))  # never end on a click
    final[len(final) - fade :] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)[:, None]
    write_wav(staging / out["dialogue"], dialogue)
    write_wav(staging / out["music"], music)
    write_wav(staging / out["effects"], effects)
    write_wav(staging / out["mix"], final)
    summary = {
        "episode": job.number,
        "language": job.language,
        "seconds": round(n / RATE, 3),
        "loudness_lufs": round(report.master.lufs, 2),
        "true_peak_db": round(report.master.true_peak_db, 2),
        # exact: the next re-voicing keeps the gain while its mix measures about the same
        "master": {"gain_db": report.master.gain_db, "set_for_lufs": report.master.set_for_lufs},
        "duck_db": _finite(report.duck_depth_db),  # null: no speech, or no pause to compare
        "lines": records,
    }
    text = json.dumps(summary, ensure_ascii=False, indent=1, allow_nan=False)
    (staging / out["lines"]).write_bytes(text.encode("utf-8"))


def _last_master(summary: Path) -> tuple[float, float] | None:
    """The gain the episode's last master settled on and the input loudness it was set
    for (from its lines file), if there is one."""
    try:
        last = json.loads(summary.read_text(encoding="utf-8")).get("master")
        gain, set_for = last["gain_db"], last["set_for_lufs"]
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None
    ok = all(isinstance(v, (int, float)) for v in (gain, set_for))
    return (float(gain), float(set_for)) if ok else None


def _on_frames(keys: list[mouth.MouthKey], start: float) -> list[list[object]]:
    """A line's mouth keys in episode time, each moved to the nearest video frame (the
    picture samples the mouth once a frame anyway); the line starts on a frame, so a line
    that only moves in time keeps the same keys relative to its start."""
    out: list[list[object]] = []
    for k in keys:
        t = round(start + round(k.time * FRAME_RATE) / FRAME_RATE, 3)
        if out and out[-1][0] == t:
            out[-1][1] = k.shape  # two changes in one frame: the later one shows
        else:
            out.append([t, k.shape])
    return out


def _finite(x: float) -> float | None:
    return round(x, 2) if math.isfinite(x) else None


# -- planning -------------------------------------------------------------------------------


def parse_episodes(spec: str | None, available: list[int]) -> list[int]:
    """``"1-3,5"`` → [1, 2, 3, 5], checked against the episodes the outline has."""
    if not spec:
        return available
    chosen: set[int] = set()
    for raw in spec.split(","):
        part = raw.strip()
        try:
            if "-" in part:
                a, b = (int(x) for x in part.split("-", 1))
                chosen.update(range(a, b + 1))
            else:
                chosen.add(int(part))
        except ValueError:
            raise UsageError(f"--episodes {spec!r}: write numbers and ranges, e.g. 1-3,5") from None
    missing = sorted(chosen - set(available))
    if missing:
        raise UsageError(
            f"--episodes {spec!r}: no episode {', '.join(map(str, missing))}; "
            f"the series has {available[0]}-{available[-1]}"
        )
    return sorted(chosen)


@dataclass
class VoiceSummary(StageSummary):
    project: str
    provider: str
    language: str
    episodes: list[int] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    lines: int = 0
    seconds: float = 0.0
    report: RunReport = field(default_factory=RunReport)


def make_speaker(settings: Settings, project: Project) -> Speaker:
    return SPEAKERS.create(settings.voice.provider, settings, project.root)


def _cast_of(bible: Bible) -> dict[str, Character]:
    """Characters by their cue (the upper-case name a script uses), and by id."""
    out: dict[str, Character] = {}
    for c in bible.characters:
        out[c.cue] = c
        out[c.id.upper()] = c
    return out


def _script(project: Project, number: int) -> Script:
    path = project.path(Project.script(number))
    if not path.is_file():
        raise ProjectError(f"{path} is missing: run `cliffhanger write {project.root}` first")
    return script_from_fountain(path.read_text(encoding="utf-8"), path=path)


def voice(
    project: Project,
    settings: Settings,
    *,
    episodes: str | None = None,
    on_conflict: OnConflict = "refuse",
    progress: Progress | None = None,
) -> VoiceSummary:
    """Synthesize whatever line is new and mix whatever episode is stale."""
    start = time.perf_counter()
    bible_path = project.path(Project.BIBLE)
    if not bible_path.is_file():
        raise ProjectError(f"{bible_path} is missing: run `cliffhanger write {project.root}` first")
    seed = settings.series.seed
    bible = complete_voices(load_model(Bible, bible_path), seed)
    found = (_EPISODE.match(p.name) for p in project.path("scripts").glob("ep*.fountain"))
    numbers = sorted(int(m[1]) for m in found if m)
    if not numbers:
        raise ProjectError(f"{project.root}/scripts holds no episodes: run `cliffhanger write`")
    chosen = parse_episodes(episodes, numbers)
    language = settings.series.lang
    speaker = make_speaker(settings, project)
    _check_language(speaker, language, settings)
    try:
        cast = _cast_of(bible)
        fingerprint = speaker.fingerprint()
        line_tasks: dict[str, Task] = {}
        bed_tasks: dict[str, Task] = {}
        episode_tasks: list[Task] = []
        music = project.path(settings.mix.music_dir)
        for number in chosen:
            script = _script(project, number)
            if not script.lines:
                raise ProjectError(
                    f"{project.path(Project.script(number))} has no spoken lines to voice; write "
                    "some, or leave the episode out with --episodes"
                )
            ids, names, files = [], [], []
            for line in script.lines:
                who = cast.get(line.speaker)
                if who is None:
                    known = ", ".join(c.cue for c in bible.characters)
                    raise ProjectError(
                        f"{Project.script(number)}:{line.source_line}: {line.speaker!r} speaks but "
                        f"is not a character in bible.yaml; use one of {known}, or add them to "
                        "bible.yaml's characters"
                    )
                tune = who.voice.tune
                assert tune is not None  # complete_voices filled it
                job = LineJob(line.text, tune, prosody.delivery_for(line.emotion), language)
                key = job.key(fingerprint)
                rel = line_path(key)
                line_tasks.setdefault(
                    rel,
                    Task(
                        stage="lines",
                        version=LINE_VERSION,
                        name=f"line-{key[:10]}",
                        outputs=(rel,),
                        fn=_speak,
                        payload=(speaker, job, rel),
                        params={"key": key},
                    ),
                )
                ids.append(who.id)
                names.append(who.name)
                files.append(rel)
            beds = []
            for mood in dict.fromkeys(mood_for_scene(scene) for scene in script.scenes):
                rel = bed_path(mood, seed)
                beds.append((mood, rel))
                bed_tasks.setdefault(
                    rel,
                    Task(
                        stage="lines",
                        version=MUSIC_VERSION,
                        name=f"bed-{mood}",
                        outputs=(rel,),
                        fn=_bed,
                        payload=(mood, seed, rel),
                        params={"mood": mood, "seed": seed},
                    ),
                )
            job_ep = EpisodeJob(
                number,
                script,
                tuple(ids),
                tuple(names),
                tuple(files),
                language,
                seed,
                settings.mix,
                str(music) if music.is_dir() else "",
                str(project.root),
                tuple(beds),
                settings.writing.words_per_minute,
            )
            episode_tasks.append(
                Task(
                    stage="mix",
                    version=EPISODE_VERSION,
                    name=f"ep{number:03d}",
                    outputs=episode_files(language, number),
                    fn=_episode,
                    payload=job_ep,
                    inputs=(Project.script(number), *dict.fromkeys(files), *(r for _, r in beds)),
                    params={
                        "mix": settings.mix.model_dump(mode="json"),
                        "seed": seed,
                        "language": language,
                        "music": _library_fingerprint(music),
                        "cast": [ids, names],
                        "words_per_minute": settings.writing.words_per_minute,
                    },
                )
            )

    except BaseException:
        speaker.close()
        raise

    executor = pool_for(settings.pipeline.executor, settings.pipeline.workers, preload=PRELOAD)

    def line_executor(stale: int) -> Executor:
        # Threads: every provider spends its time outside the GIL (an ONNX run, an espeak-ng
        # process, an HTTP request), and threads share one loaded model with no start-up.
        return EXECUTORS.create("thread", settings.pipeline.workers)

    report = RunReport()
    try:
        with Runner(project.root, on_conflict=on_conflict, progress=progress) as runner:
            first = [*bed_tasks.values(), *line_tasks.values()]  # beds first: the longest
            report.merge(runner.run(first, line_executor))
            report.merge(runner.run(episode_tasks, executor))
    finally:
        speaker.close()
    return VoiceSummary(
        project=str(project.root),
        provider=speaker.name,
        language=language,
        episodes=chosen,
        files=[f for n in chosen for f in episode_files(language, n)],
        lines=len(line_tasks),
        seconds=time.perf_counter() - start,
        report=report,
    )


_EPISODE = re.compile(r"^ep(\d+)\.fountain$")


def _check_language(speaker: Speaker, language: str, settings: Settings) -> None:
    """Fail once, up front, when the provider cannot speak the series' language."""
    spoken = speaker.languages()
    base = language.split("-", 1)[0].lower()
    if language.lower() in spoken or base in spoken:
        return
    speaker.close()
    others = [n for n in ("piper", "espeak", "openai") if n != settings.voice.provider]
    raise ProviderError(
        f"the {speaker.name} voice provider does not speak '{language}' ([series] lang); "
        f"it speaks: {', '.join(spoken)}. Set [voice] provider to one of {', '.join(others)} "
        "in cliffhanger.toml, or CLIFFHANGER_VOICE__PROVIDER"
    )


def _library_fingerprint(folder: Path) -> str:
    """Names, sizes and times of the user's music files: a new track re-scores."""
    if not folder.is_dir():
        return ""
    entries = sorted(
        (str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    )
    return sha256_bytes(canonical_json(entries))
