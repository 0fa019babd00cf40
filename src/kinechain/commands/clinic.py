"""Commands of the clinic layer: ``assess``, ``intake``, ``reassess`` (registered in :mod:`kinechain.cli`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kinechain import preflight
from kinechain.errors import ConfigError
from kinechain.terminal import StageBar, console, out


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
        preflight.check_clip(video, keys)
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
