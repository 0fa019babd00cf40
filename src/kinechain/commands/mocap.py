"""Motion-capture commands: ``validate`` (the 2D pipeline against force plates and 3D) and ``export``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kinechain import preflight
from kinechain.errors import ConfigError
from kinechain.model.vocab import parse_view
from kinechain.terminal import console, out


def _parse_axes(value: str | None) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2:
        raise ConfigError(f"--axes must be 'UP,FORWARD' such as '+y,-z'; got {value!r}.")
    return parts[0], parts[1]


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
    from kinechain.studies.mocap_validation import format_row, validate_trial

    check_option("view", view, ("left", "right"))
    up, forward = _parse_axes(axes)
    preflight.check_output_paths({"--json": json_out})
    preflight.check_input_file("TRIAL", trial)
    data = load_trial(
        trial, static=static, forces=forces, markerset=markerset, up=up, forward=forward, units=units
    )
    report = validate_trial(
        data, camera=VirtualCamera(view=parse_view(view), fps=fps, noise_px=noise_px, seed=seed), rear=rear
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
    preflight.check_clip(video, keypoints)
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
