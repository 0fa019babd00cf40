"""Clinic commands: ``assess``, ``sign-plan``, ``intake``, ``reassess`` (registered in kinechain.cli)."""

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
    plan_file: Annotated[
        Path | None, typer.Option("--plan", help="A clinician's edited (and signed) plan.yaml to apply.")
    ] = None,
) -> None:
    """Assess several clips plus an intake: findings along the kinetic chain, plan, report."""
    from kinechain.batch import Clip, analyze_clips
    from kinechain.clinic.assessment import Assessment
    from kinechain.clinic.intake import load_intake
    from kinechain.clinic.plan_edit import load_plan_file, save_plan_file
    from kinechain.clinic.plan_edit import plan_file as editable
    from kinechain.errors import check_option
    from kinechain.pipeline import validate_options
    from kinechain.report.assessment import load_clinic, write_assessment_report

    check_option("model", model, ("fast", "balanced", "accurate"))
    specs = [parse_clip_spec(c) for c in clip]
    preflight.check_output_folder("--out", out_dir)
    for test, view, video, keys in specs:
        validate_options(test, view, model)
        preflight.check_clip(video, keys)
    person = load_intake(intake)
    edits = load_plan_file(plan_file) if plan_file is not None else None
    info = load_clinic(clinic) if clinic is not None else None
    with StageBar() as bar:
        analyses = analyze_clips([Clip(*spec) for spec in specs], quality=model, progress=bar)
    out_dir.mkdir(parents=True, exist_ok=True)
    record = Assessment(intake=person, results=[a.result for a in analyses])
    record.save(out_dir / "assessment.json")
    findings, plan = write_assessment_report(
        record,
        html=out_dir / "report.html",
        pdf=(out_dir / "report.pdf") if pdf else None,
        clips=analyses,
        clinic=info,
        plan_edits=edits,
    )
    if not findings.stopped and plan_file is None:
        save_plan_file(editable(plan), out_dir / "plan.yaml")
    if findings.stopped:
        console.print(f"[red bold]{findings.stop_message}[/]", soft_wrap=True)
    for i, f in enumerate(findings.flagged()[:3], start=1):
        out.print(f"{i}. {f.headline} (confidence {f.confidence_label})")
    if not findings.stopped:
        out.print(f"plan: {plan.weeks} weeks, {len(plan.exercises)} exercises; retest {plan.retest}")
    console.print(f"assessment: {out_dir / 'assessment.json'}\nreport: {out_dir / 'report.html'}")


def sign_plan(
    path: Annotated[Path, typer.Argument(help="The plan file to sign (plan.yaml written by assess).")],
    by: Annotated[str, typer.Option(help="Name and role of the clinician signing the plan.")],
) -> None:
    """Sign a (possibly edited) plan file: records who signed it, when, and a checksum."""
    from kinechain.clinic.plan_edit import load_plan_file, save_plan_file, sign

    plan = load_plan_file(path).model_copy(
        update={"signed_by": None, "signed_at": None, "content_sha256": None}
    )
    signed = sign(plan, by)
    save_plan_file(signed, path)
    if signed.signed_at is None:
        raise ConfigError(f"{path} could not be signed; check the file and try again.")
    console.print(f"plan signed by {by} at {signed.signed_at.isoformat()}: {path}")


def intake_command(
    path: Annotated[Path, typer.Argument(help="Where to save the intake (.yaml or .json).")],
) -> None:
    """Ask the intake questions (pain, red flags, PSFS, self-tests) and save the answers."""
    from kinechain.clinic.intake import save_intake
    from kinechain.clinic.intake_checks import contradictions
    from kinechain.clinic.intake_prompts import prompt_intake
    from kinechain.clinic.referral import red_flag_hits, stop_message

    person = prompt_intake()
    save_intake(person, path)
    hits = red_flag_hits(person)
    if hits:
        console.print(f"[red bold]{stop_message(hits)}[/]")
    for c in contradictions(person):
        console.print(f"[yellow]check with the clinician:[/] {c}", soft_wrap=True)
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
