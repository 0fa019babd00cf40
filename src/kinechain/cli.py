"""The kinechain command line: ``kinechain analyze``, ``kinechain models``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kinechain import preflight
from kinechain._version import __version__
from kinechain.errors import ConfigError
from kinechain.model.result import AnalysisResult
from kinechain.terminal import STAGE_LABELS, StageBar, console, exit_code_for, out

if TYPE_CHECKING:
    from kinechain.config import Settings
    from kinechain.pipeline import Analysis

__all__ = ["STAGE_LABELS", "app", "main"]

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
    """Kinetic-chain screening for runners' knee pain from phone videos."""


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
    _check_clip(video, keypoints, gate=gate)
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


def _check_clip(video: Path | None, keypoints: Path | None, *, gate: bool = True) -> None:
    """Check the clip before any work: the keypoints file, or the video and its frame rate."""
    if keypoints is not None:
        preflight.check_input_file("--keypoints", keypoints, folder_ok=True)
        if video is not None:
            preflight.check_input_file("VIDEO", video)
    elif video is not None:
        preflight.check_video(video, gate=gate)


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
    _check_clip(video, keypoints)
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
    raise SystemExit(code if isinstance(code, int) else 0)


def _exit_code(exc: Exception, debug: bool) -> int:
    code = getattr(exc, "exit_code", None)
    if isinstance(code, int) and not hasattr(exc, "format_message"):
        return code  # typer.Exit / click's Exit: nothing to report
    if type(exc).__name__ == "NoArgsIsHelpError":
        out.print(exc.format_message() if hasattr(exc, "format_message") else "", markup=False)
        return 0
    return exit_code_for(exc, debug=debug)


# --------------------------------------------------------------------------- clinic (issue 5)


def parse_clip_spec(spec: str) -> tuple[str, str, Path, Path | None]:
    """Split a ``TEST:VIEW:VIDEO[@KEYPOINTS]`` clip spec into its parts.

    VIEW is "side", "auto" (detected) or an explicit view; KEYPOINTS replays recorded keypoints.
    """
    parts = spec.split(":", 2)
    if len(parts) != 3 or not all(parts):
        raise ConfigError(
            "--clip must look like TEST:VIEW:VIDEO (e.g. running:side:run.mp4, view 'auto' to "
            f"detect); got {spec!r}."
        )
    test, view, rest = parts
    video, _, keys = rest.partition("@")
    return test, view, Path(video), (Path(keys) if keys else None)


@app.command()
def assess(
    clip: Annotated[
        list[str],
        typer.Option(help="TEST:VIEW:VIDEO[@KEYPOINTS], repeat per clip; VIEW 'auto' detects the view."),
    ],
    intake: Annotated[Path, typer.Option(help="The intake file (YAML or JSON; see docs/clinic.md).")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for assessment.json, report.html and report.pdf.")
    ] = Path("out/assessment"),
    clinic: Annotated[
        Path | None, typer.Option(help="Clinic block file (name, phone, booking_url) for the report.")
    ] = None,
    model: Annotated[str, typer.Option(help="Pose model: fast, balanced or accurate.")] = "balanced",
    pdf: Annotated[bool, typer.Option(help="Also write the PDF report.")] = True,
) -> None:
    """Assess several clips plus an intake: findings along the kinetic chain, plan, report."""
    from kinechain.clinic.assessment import Assessment
    from kinechain.clinic.intake import load_intake
    from kinechain.errors import check_option
    from kinechain.pipeline import analyze as run
    from kinechain.pipeline import validate_options
    from kinechain.report.assessment import load_clinic, write_assessment_report

    check_option("model", model, ("fast", "balanced", "accurate"))
    specs = [parse_clip_spec(c) for c in clip]
    preflight.check_output_folder("--out", out_dir)
    for test, view, video, keys in specs:
        validate_options(test, view, model)
        _check_clip(video, keys)
    person = load_intake(intake)
    info = load_clinic(clinic) if clinic is not None else None
    analyses = []
    with StageBar() as bar:
        for test, view, video, keys in specs:
            analyses.append(run(video, test=test, view=view, quality=model, keypoints=keys, progress=bar))
    out_dir.mkdir(parents=True, exist_ok=True)
    record = Assessment(intake=person, results=[a.result for a in analyses])
    record.save(out_dir / "assessment.json")
    findings, plan = write_assessment_report(
        record,
        html=out_dir / "report.html",
        pdf=(out_dir / "report.pdf") if pdf else None,
        clips=analyses,
        clinic=info,
    )
    if findings.stopped:
        console.print(f"[red bold]{findings.stop_message}[/]", soft_wrap=True)
    for i, f in enumerate(findings.flagged()[:3], start=1):
        out.print(f"{i}. {f.headline} (confidence {f.confidence_label})")
    if not findings.stopped:
        out.print(f"plan: {plan.weeks} weeks, {len(plan.exercises)} exercises; retest {plan.retest}")
    console.print(f"assessment: {out_dir / 'assessment.json'}\nreport: {out_dir / 'report.html'}")


@app.command("intake")
def intake_command(
    path: Annotated[Path, typer.Argument(help="Where to save the intake (.yaml or .json).")],
) -> None:
    """Ask the intake questions (pain, red flags, PSFS, self-tests) and save the answers."""
    from kinechain.clinic.intake import prompt_intake, save_intake

    person = prompt_intake()
    save_intake(person, path)
    flags = person.positive_red_flags()
    if flags:
        console.print(
            "[red bold]Please see a clinician promptly before exercising:[/] "
            + " ".join(f.reason for f in flags)
        )
    console.print(f"intake: {path}")


@app.command()
def reassess(
    before: Annotated[Path, typer.Argument(help="The earlier assessment.json.")],
    after: Annotated[Path, typer.Argument(help="The later assessment.json.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for progress.html and progress.pdf.")] = Path(
        "out/progress"
    ),
    clinic: Annotated[Path | None, typer.Option(help="Clinic block file for the report.")] = None,
    pdf: Annotated[bool, typer.Option(help="Also write the PDF.")] = True,
) -> None:
    """Compare two assessments: real changes (beyond the SDD) versus measurement error."""
    from kinechain.clinic.assessment import load_assessment
    from kinechain.clinic.reassess import compare
    from kinechain.report.assessment import load_clinic, write_progress_report

    preflight.check_output_folder("--out", out_dir)
    progress = compare(load_assessment(before), load_assessment(after))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_progress_report(
        progress,
        html=out_dir / "progress.html",
        pdf=(out_dir / "progress.pdf") if pdf else None,
        clinic=load_clinic(clinic) if clinic is not None else None,
    )
    table = Table(title=f"{progress.before_date} -> {progress.after_date}")
    for col in ("measure", "side", "before", "after", "verdict"):
        table.add_column(col)
    for c in progress.changes:
        table.add_row(c.name, c.side, f"{c.before:.1f}", f"{c.after:.1f}", c.verdict)
    out.print(table)
    console.print(f"report: {out_dir / 'progress.html'}")


# --- Motion capture: validation harness and exports (issue 3) ---------------------------------


def _parse_axes(value: str | None) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2:
        raise ConfigError(f"--axes must be 'UP,FORWARD' such as '+y,-z'; got {value!r}.")
    return parts[0], parts[1]


@app.command()
def validate(
    trial: Annotated[
        Path, typer.Argument(help="Running-trial markers: .c3d, .trc or a BMC-style .txt table.")
    ],
    static: Annotated[
        Path | None, typer.Option(help="Static trial (found beside TRIAL when omitted).")
    ] = None,
    forces: Annotated[Path | None, typer.Option(help="Force file: GRF .mot or a force table.")] = None,
    markerset: Annotated[str | None, typer.Option(help="bmc, ric, opensim or a TOML file.")] = None,
    axes: Annotated[
        str | None, typer.Option(help="File axes pointing up and forward, e.g. '+y,-z' (else detected).")
    ] = None,
    units: Annotated[
        str | None, typer.Option(help="Marker units when the file does not say: mm, cm, m.")
    ] = None,
    fps: Annotated[float, typer.Option(help="Virtual camera frame rate.")] = 60.0,
    view: Annotated[str, typer.Option(help="Side filmed: left or right.")] = "left",
    noise_px: Annotated[float, typer.Option(help="Gaussian pixel noise (SD) added to the keypoints.")] = 0.0,
    seed: Annotated[int, typer.Option(help="Seed of the pixel noise.")] = 0,
    rear: Annotated[bool, typer.Option(help="Also film from behind (pelvic drop, hip adduction).")] = True,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the comparison as JSON here.")
    ] = None,
) -> None:
    """Film a mocap trial with a virtual camera, run the 2D pipeline, compare with force plates and 3D."""
    import json

    from kinechain.errors import check_option
    from kinechain.mocap.camera import VirtualCamera
    from kinechain.mocap.trial import load_trial
    from kinechain.mocap.validate import format_row, validate_trial

    check_option("view", view, ("left", "right"))
    up, forward = _parse_axes(axes)
    preflight.check_output_paths({"--json": json_out})
    preflight.check_input_file("TRIAL", trial)
    data = load_trial(
        trial, static=static, forces=forces, markerset=markerset, up=up, forward=forward, units=units
    )
    report = validate_trial(
        data, camera=VirtualCamera(view=view, fps=fps, noise_px=noise_px, seed=seed), rear=rear
    )
    table = Table(title=f"{report.trial}: 2D pipeline ({view} side and back, {fps:g} fps) against the truth")
    cells = [format_row(r) for r in report.rows]
    for col in cells[0] if cells else ():
        table.add_column(col)
    for c in cells:
        table.add_row(*c.values())
    out.print(table)
    for note in report.meta["notes"]:
        console.print(f"[yellow]note:[/] {note}.")
    console.print(
        f"errors are 2D minus truth; marker set {report.meta['markerset']}; truth events from "
        f"{report.meta['force_events']} force-plate events at {report.meta['force_threshold_n']:g} N"
    )
    if json_out is not None:
        json_out.write_text(json.dumps(report.to_dict(), indent=2))
        console.print(f"comparison: {json_out}")


@app.command()
def export(
    video: Annotated[Path | None, typer.Argument(help="The video (omit with --keypoints).")] = None,
    keypoints: Annotated[
        Path | None, typer.Option(help="Replay recorded keypoints instead of the model.")
    ] = None,
    test: Annotated[str, typer.Option(help="Movement test.")] = "running",
    view: Annotated[str, typer.Option(help="side, auto, left, right, front or back.")] = "side",
    model: Annotated[str, typer.Option(help="Pose model: fast, balanced or accurate.")] = "balanced",
    measures_csv: Annotated[Path | None, typer.Option(help="Write the measures as CSV here.")] = None,
    events_csv: Annotated[Path | None, typer.Option(help="Write the events as CSV here.")] = None,
    keypoints_csv: Annotated[
        Path | None, typer.Option(help="Write the cleaned keypoints as CSV here.")
    ] = None,
    trc: Annotated[Path | None, typer.Option(help="Write the keypoints as an OpenSim TRC here.")] = None,
    trc_from: Annotated[
        str, typer.Option(help="TRC from 'world' (3D landmarks) or 'image' pixels.")
    ] = "world",
    px_per_m: Annotated[float | None, typer.Option(help="Image scale for --trc-from image, px/m.")] = None,
    mot: Annotated[Path | None, typer.Option(help="Write the angle signals as an OpenSim .mot here.")] = None,
) -> None:
    """Analyse a video (or replayed keypoints) and export measures, events and keypoints (CSV, TRC, MOT)."""
    from kinechain.errors import check_option
    from kinechain.io.csvio import write_events_csv, write_measures_csv, write_pose_csv
    from kinechain.io.opensim import kinematics_to_mot, pose_to_trc
    from kinechain.pipeline import analyze as run
    from kinechain.pipeline import validate_options

    outputs = {
        "measures": measures_csv,
        "events": events_csv,
        "keypoints": keypoints_csv,
        "trc": trc,
        "mot": mot,
    }
    if all(v is None for v in outputs.values()):
        raise ConfigError(
            "name at least one output: --measures-csv, --events-csv, --keypoints-csv, --trc or --mot."
        )
    if video is None and keypoints is None:
        raise ConfigError("give a video, or --keypoints to replay recorded keypoints.")
    validate_options(test, view, model)
    check_option("--trc-from", trc_from, ("world", "image"))
    flags = ("--measures-csv", "--events-csv", "--keypoints-csv", "--trc", "--mot")
    preflight.check_output_paths(dict(zip(flags, outputs.values(), strict=True)))
    _check_clip(video, keypoints)
    analysis = run(video, test=test, view=view, quality=model, keypoints=keypoints)
    if measures_csv is not None:
        write_measures_csv(analysis.result.measures, measures_csv)
    if events_csv is not None:
        write_events_csv(analysis.result.events, events_csv)
    if keypoints_csv is not None:
        write_pose_csv(analysis.pose, keypoints_csv)
    if trc is not None:
        pose_to_trc(analysis.pose, trc, coordinates=trc_from, px_per_m=px_per_m)
    if mot is not None:
        kinematics_to_mot(analysis.kinematics, mot)
    for label, path in outputs.items():
        if path is not None:
            console.print(f"{label}: {path}")


# ---------------------------------------------------------------- web app (issue 6)


def _web_settings(data_dir: Path | None) -> Settings:
    import os

    from kinechain.config import DEFAULT_SECRET, development_secret
    from kinechain.config import Settings as _Settings

    if data_dir is not None:
        os.environ["KINECHAIN_DATA_DIR"] = str(data_dir)
    settings = _Settings()
    if settings.environment == "development" and settings.secret_key == DEFAULT_SECRET:
        settings = settings.model_copy(update={"secret_key": development_secret(settings.data_dir)})
    return settings


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: Annotated[
        Path | None, typer.Option(help="Database and media folder (default ~/.local/share/kinechain/app).")
    ] = None,
) -> None:
    """Start the clinic web app (SQLite and in-process analysis unless KINECHAIN_* settings say otherwise)."""
    import uvicorn

    from kinechain.web.app import create_app

    settings = _web_settings(data_dir)
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.cookie_secure:
        console.print("[yellow]note:[/] cookies are not marked Secure; serve over HTTPS in production.")
    web = create_app(settings)
    where = "Celery workers" if settings.broker_url else "this process"
    console.print(
        f"kinechain web app on http://{host}:{port}  (data: {settings.data_dir}; analysis in {where})"
    )
    uvicorn.run(web, host=host, port=port, log_level="info", proxy_headers=True)


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(help="Jobs this worker runs at once.")] = 1,
    name: Annotated[str | None, typer.Option(help="Worker name (default: host name).")] = None,
) -> None:
    """Run analysis jobs from the broker in KINECHAIN_BROKER_URL (start as many as you like, anywhere)."""
    from kinechain.jobs.celery_app import make_celery

    settings = _web_settings(None)
    if not settings.broker_url:
        raise ConfigError("set KINECHAIN_BROKER_URL (e.g. redis://host:6379/0) to run a worker.")
    celery = make_celery(settings)
    argv = [
        "worker",
        f"--concurrency={concurrency}",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
    ]
    if name:
        argv.append(f"--hostname={name}@%h")
    celery.worker_main(argv)
