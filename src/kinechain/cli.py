"""The kinechain command line; :func:`main` turns every failure into one sentence and an exit code.

Here: ``analyze``, ``detect``, ``filming`` and ``models``; the clinic, motion-capture and web-app
commands are in :mod:`kinechain.commands`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kinechain import preflight
from kinechain._version import __version__
from kinechain.commands import clinic, mocap, web
from kinechain.commands.clinic import parse_clip_spec
from kinechain.errors import ConfigError
from kinechain.model.result import AnalysisResult
from kinechain.terminal import STAGE_LABELS, StageBar, console, exit_code_for, out

if TYPE_CHECKING:
    from kinechain.model.result import Analysis

__all__ = ["STAGE_LABELS", "app", "main", "parse_clip_spec"]

app = typer.Typer(
    name="kinechain",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Kinetic-chain screening for runners' knee pain from phone videos. A screening and "
    "coaching aid, not a diagnosis.",
)
models_app = typer.Typer(
    help="Install and check the pose models (offline after install).", no_args_is_help=True
)
app.add_typer(models_app, name="models")


def _show_version(value: bool) -> None:
    if value:
        out.print(f"kinechain {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the Python traceback when a command fails (anywhere).")
    ] = False,
) -> None:
    """Kinetic-chain screening for runners' knee pain from phone videos.

    ``--debug`` is listed here for the help text; :func:`main` takes it from anywhere on the line.
    """


def _parse_person(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        x, y = (float(v) for v in value.split(","))
    except ValueError as exc:
        raise ConfigError(f"--person must be two numbers 'x,y' between 0 and 1; got {value!r}.") from exc
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ConfigError(f"--person must be two numbers 'x,y' between 0 and 1; got {value!r}.")
    return x, y


def _measure_table(result: AnalysisResult) -> Table:
    table = Table(title=f"{result.test} ({result.view.view} view)", show_lines=False)
    table.add_column("measure", no_wrap=True)
    table.add_column("side", no_wrap=True)
    table.add_column("value", no_wrap=True, justify="right")
    table.add_column("spread", no_wrap=True, justify="right")
    table.add_column("n", no_wrap=True, justify="right")
    table.add_column("confidence / note")
    for m in result.measures:
        if m.measurable and m.value is not None:
            value = f"{m.value:.1f} {m.unit}" + (f" ({m.category})" if m.category else "")
            spread = f"±{m.spread:.1f}" if m.spread is not None else ""
            table.add_row(m.name, m.side, value, spread, str(m.n), m.confidence_label)
        else:
            table.add_row(m.name, m.side, "[yellow]not measurable[/]", "", "", m.reason or "")
    return table


@app.command()
def analyze(
    video: Annotated[Path, typer.Argument(help="The phone video (MP4, MOV or WebM).")],
    test: Annotated[
        str,
        typer.Option(
            help="Movement test: running, single_leg_squat, step_down, double_leg_squat, drop_jump, "
            "knee_to_wall, or auto to detect it."
        ),
    ] = "running",
    view: Annotated[str, typer.Option(help="side, auto, left, right, front or back.")] = "side",
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the result JSON here.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write the HTML report here.")] = None,
    overlay: Annotated[Path | None, typer.Option(help="Write an annotated MP4 here.")] = None,
    model: Annotated[str, typer.Option(help="Pose model: fast, balanced or accurate.")] = "balanced",
    keypoints: Annotated[
        Path | None, typer.Option(help="Replay recorded keypoints instead of the model.")
    ] = None,
    save_keypoints: Annotated[Path | None, typer.Option(help="Save the raw keypoints as JSON here.")] = None,
    person: Annotated[str | None, typer.Option(help="x,y (0-1) on the person to follow.")] = None,
    option: Annotated[
        list[str] | None,
        typer.Option(
            help="A test option KEY=VALUE, repeatable; knee-to-wall: foot_length_cm=26 wall_x=812 "
            "(the wall's image x in pixels) for the toe-to-wall distance."
        ),
    ] = None,
    gate: Annotated[
        bool, typer.Option(help="Stop when the capture cannot be measured (--no-gate: only warn).")
    ] = True,
) -> None:
    """Analyse one video of a movement test and print its measures."""
    from kinechain.pipeline import analyze as run
    from kinechain.pipeline import validate_options

    outputs = {
        "--json": json_out,
        "--report": report,
        "--overlay": overlay,
        "--save-keypoints": save_keypoints,
    }
    options = _test_options(option or [])
    validate_options(test, view, model, options)
    follow = _parse_person(person)
    preflight.check_output_paths(outputs)
    preflight.check_clip(video, keypoints, gate=gate)
    with StageBar() as bar:
        analysis = run(
            video,
            test=test,
            view=view,
            quality=model,
            keypoints=keypoints,
            person=follow,
            progress=bar,
            options=options,
            quality_gate=gate,
        )
        _write_outputs(analysis, json_out, report, overlay, save_keypoints, bar)
    out.print(_measure_table(analysis.result))
    for w in analysis.result.warnings:
        console.print(f"[yellow]note:[/] {w}")
    for label, path in zip(("result", "report", "overlay", "keypoints"), outputs.values(), strict=True):
        if path is not None:
            console.print(f"{label}: {path}")


def _write_outputs(
    analysis: Analysis,
    json_out: Path | None,
    report: Path | None,
    overlay: Path | None,
    save_keypoints: Path | None,
    bar: StageBar,
) -> None:
    if json_out is not None:
        analysis.to_json(json_out)
    if save_keypoints is not None:
        from kinechain.pose.replay import save_keypoints as save

        save(analysis.raw_pose, save_keypoints)
    if report is not None:
        from kinechain.report.html import write_report

        write_report(analysis, report, progress=bar)
    if overlay is not None:
        from kinechain.report.overlay import write_overlay

        write_overlay(analysis, overlay, progress=bar)


@models_app.command("install")
def models_install(
    from_tarball: Annotated[
        Path | None, typer.Option(help="Use this @mediapipe/pose tarball instead of npm.")
    ] = None,
) -> None:
    """Fetch the BlazePose models once (npm registry), verify their checksums, install them."""
    from kinechain.pose.models import install_models, models_dir

    for m in install_models(from_tarball=from_tarball):
        out.print(f"installed {m.variant:5s} {m.path}  sha256 {m.sha256[:16]}…")
    out.print(f"models are in {models_dir()}; analysis now runs offline.")


@models_app.command("check")
def models_check() -> None:
    """Verify the installed models against their checksums."""
    from kinechain.pose.models import QUALITY, model_path

    for quality in QUALITY:
        m = model_path(quality)
        out.print(f"{quality:9s} {m.variant:5s} ok  {m.path}")


def _test_options(pairs: list[str]) -> dict[str, float]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        try:
            options[key.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise ConfigError(f"--option must look like KEY=NUMBER (e.g. foot_length_cm=26); got {pair!r}.")
    return options


@app.command()
def detect(
    video: Annotated[Path | None, typer.Argument(help="The phone video.")] = None,
    keypoints: Annotated[Path | None, typer.Option(help="Recorded keypoints instead of the video.")] = None,
    model: Annotated[str, typer.Option(help="Pose model: fast, balanced or accurate.")] = "balanced",
) -> None:
    """Say which test and view a video shows, with confidences, and check how it was filmed."""
    from kinechain.pipeline import inspect_capture, validate_options

    if video is None and keypoints is None:
        raise ConfigError("give a video or --keypoints.")
    validate_options("auto", "auto", model)
    preflight.check_clip(video, keypoints)
    found, checks = inspect_capture(video, keypoints=keypoints, quality=model)
    out.print(f"test: {found.test} (confidence {found.test_confidence:.2f}) - {found.reason}")
    out.print(f"view: {found.view} (confidence {found.view_confidence:.2f})")
    for c in checks.checks:
        mark = (
            "[green]ok[/]" if c.ok else ("[red]problem[/]" if c.severity == "error" else "[yellow]advice[/]")
        )
        out.print(f"{c.name}: {mark}" + (f" - {c.message}" if not c.ok else ""))


@app.command()
def filming(
    test: Annotated[str | None, typer.Argument(help="A test name; all tests when omitted.")] = None,
) -> None:
    """Print how to film a test (camera position, height, distance, orientation)."""
    from kinechain.protocols.filming import guide_views, load_guide, view_guide

    tests = [test] if test else list(load_guide()["tests"])
    for name in tests:
        views = guide_views(name)
        first = view_guide(name, views[0])
        out.print(f"[bold]{name}[/]: {first.minimum}; {first.fps} fps or more")
        for v in views:
            g = view_guide(name, v)
            out.print(f"  {v}: {g.position}; camera at {g.height}, {g.distance} away, {g.orientation}")


def _split_debug(argv: list[str]) -> tuple[list[str], bool]:
    """Take ``--debug`` out of the arguments wherever it is (it is a global flag)."""
    args = [a for a in argv if a != "--debug"]
    return args, len(args) != len(argv) or bool(os.environ.get("KINECHAIN_DEBUG"))


def main(argv: list[str] | None = None) -> None:
    """Run the command line; every failure ends as one sentence on stderr and an exit code.

    Exit codes: 0 done, 2 bad input or usage (one line saying what to do), 130 interrupted,
    1 an unexpected failure (``--debug`` prints its traceback).
    """
    args, debug = _split_debug(sys.argv[1:] if argv is None else argv)
    try:
        code = app(args=args, prog_name="kinechain", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
    except Exception as exc:
        code = _exit_code(exc, debug)
    except KeyboardInterrupt as exc:
        code = exit_code_for(exc)
    raise SystemExit(code if isinstance(code, int) else (0 if code is None else 1))


def _exit_code(exc: Exception, debug: bool) -> int:
    code = getattr(exc, "exit_code", None)
    if isinstance(code, int) and not hasattr(exc, "format_message"):
        return code  # typer.Exit / click's Exit: nothing to report
    if type(exc).__name__ == "NoArgsIsHelpError":
        out.print(exc.format_message() if hasattr(exc, "format_message") else "", markup=False)
        return 0
    return exit_code_for(exc, debug=debug)


app.command()(clinic.assess)
app.command("sign-plan")(clinic.sign_plan)
app.command("intake")(clinic.intake_command)
app.command()(clinic.reassess)
app.command()(mocap.validate)
app.command()(mocap.export)
app.command()(web.serve)
app.command()(web.worker)
