"""The ``cliffhanger`` command: parse arguments, build Settings, call a stage, print.

Exit codes: 0 done, 1 a validation or project error (the message says what and where),
2 a usage error. ``--json`` prints one machine-readable summary on stdout; progress and
human messages go to stderr.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cliffhanger import __version__
from cliffhanger import settings as settings_mod
from cliffhanger.errors import CliffhangerError, PremiseError, ProjectError, UsageError
from cliffhanger.pipeline.runner import OnConflict
from cliffhanger.pipeline.store import backup
from cliffhanger.project import Project
from cliffhanger.settings import SeriesSettings

DEMO_PREMISE = (
    "On her wedding day, a humble florist is dumped at the altar by her fiancé for her "
    "stepsister, unaware that the quiet stranger who offers her a contract marriage is the "
    "heir to the city's richest family."
)

app = typer.Typer(
    name="cliffhanger",
    help="An offline AI micro-drama studio: premise → bible → outline → scripts → episodes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print a machine-readable summary on stdout.")
]
DirArg = Annotated[Path, typer.Argument(help="The series project folder.")]


def _emit(as_json: bool, summary: dict[str, Any], human: Callable[[], object]) -> None:
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    else:
        human()


@contextmanager
def _errors(as_json: bool) -> Iterator[None]:
    """Turn our errors into a message and an exit code; no traceback for the user's mistakes."""
    try:
        yield
    except CliffhangerError as e:
        if as_json:
            sys.stdout.write(json.dumps({"ok": False, "error": str(e)}, ensure_ascii=False) + "\n")
        err.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(e.exit_code) from None


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar per stage, fed by the runner's progress callback."""
    bars: dict[str, Any] = {}
    with Progress(
        TextColumn("[bold]{task.description:<8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not enabled,
        transient=False,
    ) as progress:

        def update(stage: str, done: int, total: int) -> None:
            if stage not in bars:
                bars[stage] = progress.add_task(stage, total=total)
            progress.update(bars[stage], completed=done, total=total)

        yield update


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"cliffhanger {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Cliffhanger."""


def create_project(
    directory: Path, series: SeriesSettings, *, provider: str = "local", force: bool = False
) -> Project:
    from cliffhanger.writing.base import WRITERS

    if provider not in WRITERS.names():
        raise UsageError(f"unknown writer '{provider}'; known: {', '.join(WRITERS.names())}")
    project = Project(directory)
    if directory.exists() and not directory.is_dir():
        raise ProjectError(f"{directory} is a file, not a folder; pick another path")
    if project.settings_file.exists():
        if not force:
            raise ProjectError(
                f"{directory} already holds a project ({project.settings_file.name}); "
                "pick another folder, or pass --force to replace its settings"
            )
        kept = backup(project.settings_file)
        err.print(f"kept the old settings as {kept}")
    directory.mkdir(parents=True, exist_ok=True)
    settings_mod.write(directory, series, provider=provider)
    return project


@app.command()
def new(
    directory: DirArg,
    premise: Annotated[str, typer.Option(help="The story in a sentence or more, any language.")],
    episodes: Annotated[int, typer.Option(min=1, max=500, help="Episodes in the season.")] = 60,
    seconds: Annotated[
        int, typer.Option(min=15, max=1200, help="Target seconds per episode.")
    ] = 90,
    lang: Annotated[str, typer.Option(help="Language of the series.")] = "en",
    seed: Annotated[int, typer.Option(help="Seed: same seed, same story.")] = 0,
    paywall: Annotated[int, typer.Option(min=1, help="Episode that carries the paywall.")] = 8,
    writer: Annotated[str, typer.Option(help="Writers' room provider: local or openai.")] = "local",
    force: Annotated[bool, typer.Option(help="Replace an existing project's settings.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Create a series project folder with its cliffhanger.toml."""
    with _errors(as_json):
        if not premise.strip():
            raise PremiseError("premise is empty: describe the story in a sentence or more")
        series = SeriesSettings(
            premise=premise,
            episodes=episodes,
            seconds=seconds,
            lang=lang,
            seed=seed,
            paywall_episode=min(paywall, episodes),
        )
        project = create_project(directory, series, provider=writer, force=force)
        summary = {"ok": True, "project": str(project.root), "settings": str(project.settings_file)}
        _emit(
            as_json,
            summary,
            lambda: err.print(
                f"created {project.settings_file}; next: cliffhanger write {directory}"
            ),
        )


def _write(directory: Path, *, on_conflict: OnConflict, as_json: bool) -> dict[str, Any]:
    from cliffhanger.writing.stages import write as write_stage

    project = Project(directory)
    settings = settings_mod.load(directory)
    with _progress(not as_json) as progress:
        summary = write_stage(project, settings, on_conflict=on_conflict, progress=progress)
    result: dict[str, Any] = {"ok": True, **summary.as_json()}
    # The project's LLM calls so far, all runs: only a project with a ledger has any (the
    # chat client's package is not imported for nothing; the name is its USAGE_FILE).
    if (project.state_dir / "llm-usage.jsonl").is_file():
        from cliffhanger.writing.openai.store import usage_summary

        usage = usage_summary(project.state_dir)
        if usage["calls"]:
            result["llm_usage"] = usage
    return result


@app.command()
def write(
    directory: DirArg,
    force: Annotated[
        bool,
        typer.Option(
            help="Regenerate hand-edited files whose upstream changed (edits kept as .N.bak)."
        ),
    ] = False,
    keep_edits: Annotated[
        bool, typer.Option(help="Keep hand-edited files whose upstream changed, as they are.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Write the bible, the outline and one Fountain script per episode (only what is stale)."""
    with _errors(as_json):
        if force and keep_edits:
            raise UsageError("--force and --keep-edits contradict each other: pick one")
        on_conflict: OnConflict = "replace" if force else "keep" if keep_edits else "refuse"
        summary = _write(directory, on_conflict=on_conflict, as_json=as_json)
        _emit(as_json, summary, lambda: _print_write(summary))


def _print_write(summary: dict[str, Any]) -> None:
    kept = summary["kept_edits"]
    err.print(
        f"wrote {len(summary['ran'])} artifact(s), {len(summary['skipped'])} already fresh"
        + (f", kept {len(kept)} hand edit(s)" if kept else "")
        + f" in {summary['seconds']:.1f} s — {summary['project']}/scripts/"
    )
    if summary["orphans"]:
        err.print(
            f"[yellow]note:[/] {len(summary['orphans'])} script(s) belong to no episode of the "
            f"outline any more (kept): {', '.join(summary['orphans'])}"
        )
    if usage := summary.get("llm_usage"):
        tokens = usage["prompt_tokens"] + usage["completion_tokens"]
        err.print(
            f"LLM so far: {usage['calls']} call(s), {usage['cached_calls']} from cache, "
            f"{tokens} tokens, ${usage['usd']:.4f}"
        )


def _cast(directory: Path, *, as_json: bool) -> dict[str, Any]:
    from cliffhanger.cast.stages import cast as cast_stage

    project = Project(directory)
    settings = settings_mod.load(directory)
    with _progress(not as_json) as progress:
        if not project.path(Project.BIBLE).is_file():  # nothing to cast yet: write first
            _write(directory, on_conflict="refuse", as_json=True)
        summary = cast_stage(project, settings, progress=progress)
    return {"ok": True, **summary.as_json()}


@app.command()
def cast(directory: DirArg, as_json: JsonOpt = False) -> None:
    """Draw the actors (cast/<character>.png sheets) and the sets (cast/sets/<location>.png)."""
    with _errors(as_json):
        summary = _cast(directory, as_json=as_json)

        def human() -> None:
            err.print(
                f"drew {len(summary['ran'])} sheet(s), {len(summary['skipped'])} already fresh, "
                f"with {summary['provider']} in {summary['seconds']:.1f} s — "
                f"{directory}/cast/ ({len(summary['characters'])} characters, "
                f"{len(summary['sets'])} sets)"
            )

        _emit(as_json, summary, human)


def _voice(directory: Path, episodes: str | None, *, as_json: bool) -> dict[str, Any]:
    from cliffhanger.voice.providers import warm_up

    project = Project(directory)
    settings = settings_mod.load(directory)
    warming = warm_up(settings, project.root)  # the model loads while the stage imports
    try:
        from cliffhanger.voice.stages import voice as voice_stage

        with _progress(not as_json) as progress:
            if not project.path(Project.BIBLE).is_file():  # nothing to voice yet: write first
                _write(directory, on_conflict="refuse", as_json=True)
            summary = voice_stage(project, settings, episodes=episodes, progress=progress)
    finally:
        # The process must not exit while the model is still loading: the ONNX runtime
        # aborts it ("terminate called without an active exception", exit 134) when
        # nothing was stale and the stage finished first.
        if warming is not None:
            warming.join()
    return {"ok": True, **summary.as_json()}


@app.command()
def voice(
    directory: DirArg,
    episodes: Annotated[
        str | None, typer.Option(help="Which episodes, e.g. 1-3,5 (default: all).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Voice, score and mix: out/<lang>/audio/epNNN.{dialogue,music,effects,mix}.wav and
    epNNN.lines.json (each line's speaker, text, start, end and mouth track)."""
    with _errors(as_json):
        summary = _voice(directory, episodes, as_json=as_json)

        def human() -> None:
            err.print(
                f"voiced {summary['lines']} line(s) over {len(summary['episodes'])} episode(s) "
                f"with {summary['provider']} in {summary['seconds']:.1f} s — "
                f"{directory}/out/{summary['language']}/audio/"
            )

        _emit(as_json, summary, human)


def _render(
    directory: Path,
    episodes: str | None,
    quality: str | None,
    *,
    as_json: bool,
    upstream: bool = True,
) -> dict[str, Any]:
    """Render; with ``upstream``, bring the scripts and the cast up to date first (both do
    nothing when fresh; the voice stage runs inside the render stage)."""
    if quality is not None and quality not in ("draft", "final"):
        raise UsageError(f"--quality {quality!r}: use draft (540×960) or final (1080×1920)")
    project = Project(directory)
    settings = settings_mod.load(directory)
    from cliffhanger.render.stages import render as render_stage

    if upstream:
        _write(directory, on_conflict="refuse", as_json=True)
        _cast(directory, as_json=True)
    with _progress(not as_json) as progress:
        summary = render_stage(
            project,
            settings,
            episodes=episodes,
            quality=quality,  # type: ignore[arg-type]
            progress=progress,
        )
    return {"ok": True, **summary.as_json()}


@app.command()
def render(
    directory: DirArg,
    episodes: Annotated[
        str | None, typer.Option(help="Which episodes, e.g. 1-3,5 (default: all).")
    ] = None,
    quality: Annotated[
        str | None,
        typer.Option(help="draft (540×960) or final (1080×1920); default from [render]."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Make the videos: out/<lang>/epNNN.mp4 with .srt, .vtt, cover .jpg, .otio, HLS and
    manifest.json (voicing whatever is not voiced yet)."""
    with _errors(as_json):
        summary = _render(directory, episodes, quality, as_json=as_json)

        def human() -> None:
            err.print(
                f"rendered {summary['shots_rendered']} of {summary['shots']} shot(s) for "
                f"{len(summary['episodes'])} episode(s) ({summary['video_seconds']:.0f} s of "
                f"{summary['quality']} video) in {summary['seconds']:.1f} s — watch "
                f"{directory}/out/{summary['language']}/ep{summary['episodes'][0]:03d}.mp4"
            )

        _emit(as_json, summary, human)


def _doctor(directory: Path) -> tuple[bool, dict[str, Any], str]:
    from cliffhanger.writing.doctor import lint
    from cliffhanger.writing.series import load_series

    settings = settings_mod.load(directory)
    series = load_series(Project(directory))
    report = lint(
        series.bible,
        series.outline,
        series.scripts,
        settings.doctor,
        settings.writing.words_per_minute,
        outline_file=Project.OUTLINE,
    )
    return report.ok, json.loads(report.to_json()), report.to_text()


@app.command()
def doctor(directory: DirArg, as_json: JsonOpt = False) -> None:
    """Lint the scripts: hook, cliffhanger, length, reading speed, speakers, continuity."""
    with _errors(as_json):
        ok, data, text = _doctor(directory)
        _emit(as_json, {"ok": ok, **data}, lambda: sys.stdout.write(text + "\n"))
        if not ok:
            raise typer.Exit(1)


@app.command()
def demo(
    directory: Annotated[Path, typer.Argument(help="Where to make the demo series.")] = Path(
        "cliffhanger-demo"
    ),
    episodes: Annotated[
        str | None, typer.Option(help="Render only these episodes, e.g. 1-2 (default: all 8).")
    ] = None,
    quality: Annotated[
        str, typer.Option(help="draft (540×960) or final (1080×1920, the default).")
    ] = "final",
    as_json: JsonOpt = False,
) -> None:
    """Make the built-in example series end to end — write, cast, voice, render — and say
    where to watch it."""
    with _errors(as_json):
        if not Project(directory).settings_file.exists():
            series = SeriesSettings(
                premise=DEMO_PREMISE, episodes=8, seconds=90, seed=7, paywall_episode=6
            )
            create_project(directory, series)
        written = _write(directory, on_conflict="refuse", as_json=as_json)
        ok, lint, text = _doctor(directory)
        drawn = _cast(directory, as_json=as_json)
        made = _render(directory, episodes, quality, as_json=as_json, upstream=False)
        summary = {
            "ok": ok,
            "project": str(directory),
            "write": written,
            "doctor": lint,
            "cast": drawn,
            "render": made,
        }

        def human() -> None:
            sys.stdout.write(text + "\n")
            out = f"{directory}/out/{made['language']}"
            err.print(
                f"[bold green]demo ready[/]: {directory}/bible.yaml, {directory}/outline.yaml, "
                f"{directory}/scripts/ ({written['episodes']} episodes), "
                f"{directory}/cast/ ({len(drawn['characters'])} actors, "
                f"{len(drawn['sets'])} sets)\n"
                f"[bold]watch[/]: {out}/ep001.mp4 … ep{made['episodes'][-1]:03d}.mp4 "
                f"({made['video_seconds']:.0f} s of {made['quality']} video; subtitles, covers, "
                f"HLS and timelines beside them; storyboards in {out}/storyboard/)"
            )

        _emit(as_json, summary, human)
        if not ok:
            raise typer.Exit(1)


def run() -> None:
    """The installed command: :func:`main`, then out of the process at once. Tearing the
    interpreter down (every module, OpenCV's and onnxruntime's thread pools, skia) took
    0.1-0.2 s after the work was done, a tenth of re-rendering one changed line. Exit
    handlers still run and every stream is flushed; with another thread still working,
    the exit is the usual one."""
    import atexit
    import logging
    import threading

    try:
        main()
        code = 0
    except SystemExit as e:
        if e.code is not None and not isinstance(e.code, int):
            raise  # a message to print: leave it to the interpreter
        code = e.code or 0
    main_thread = threading.main_thread()
    if any(t is not main_thread and t.is_alive() and not t.daemon for t in threading.enumerate()):
        raise SystemExit(code)
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: no reader is left
            stream.flush()
    os._exit(code)


def main() -> None:
    """Run the CLI; a crash (a bug, not a user error) exits 70 with its traceback in a log."""
    try:
        app()  # exits itself: 0, 1 for our errors, 2 for usage errors
    except Exception as e:
        log = Path(tempfile.gettempdir()) / "cliffhanger-last-error.log"
        log.write_text("".join(traceback.format_exception(e)), encoding="utf-8")
        if "--json" in sys.argv:
            sys.stdout.write(json.dumps({"ok": False, "error": f"internal error: {e!r}"}) + "\n")
        err.print(f"[bold red]internal error:[/] {e!r} — a bug; the traceback is in {log}")
        raise SystemExit(70) from None
