"""The exercise plan: 6-8 weeks from the ranked findings, with weekly progression.

Evidence used (clinical-evidence.md): hip plus knee exercise therapy for front-of-knee pain over
4-8+ weeks (Crossley 2016 [E]); the pain-monitoring rule (Silbernagel 2007 [W]); +5-10% step rate
(Heiderscheit 2011 [E load], Anderson 2022 [W pain]) with faded feedback (Willy 2012 [W]); the
osteoarthritis pathway (OARSI 2019, ACR 2019, EULAR 2023 [E]; GLA:D 6 weeks, Skou & Roos 2017);
staged tendon loading (Malliaras 2015 [W]); education first (Crossley 2016; Collins 2018 [E]).

Clinical convention (no primary source): plan length (8 weeks when front-of-knee pain or a
tendon label points to the 4-8+ week pathway, else 6), three top factors with two exercises each,
at most six exercises, the weekly schedule of ``exercises.yaml`` with its effort targets (RPE and
repetitions in reserve) and progression criteria, the step-rate timeline, the load advice, and
the adolescent limits (body weight only, effort capped at the Build phase, no step-rate change).
"""

from __future__ import annotations

from datetime import date, timedelta

from kinechain.clinic.explain import cite
from kinechain.clinic.intake import Intake
from kinechain.clinic.intake_checks import oa_pathway
from kinechain.clinic.knowledge import (
    ExerciseLibrary,
    ScheduleStep,
    education,
    exercise_library,
)
from kinechain.clinic.pathways import condition_pathways
from kinechain.model.findings import Findings, MeasureFinding
from kinechain.model.plan import EducationTopic, Exercise, Plan, PlanExercise, RunningGuidance, WeekDose

#: Factors the plan works on, at most (clinical convention).
TOP_FACTORS = 3
#: Exercises per factor and in total (clinical convention).
PER_FACTOR = 2
MAX_EXERCISES = 6
#: Step-rate increases (Heiderscheit 2011 [E load]: +5-10%).
CADENCE_STEPS = (0.05, 0.10)

#: Kinds of exercise that follow the schedule's effort (RPE) targets.
RPE_KINDS = ("strength", "neuromuscular")
#: Under 18 the effort stays at or below the Build phase (clinical convention).
ADOLESCENT_MAX_PHASE = "Build"
#: Extra weeks at the Learn dose when irritability is high (clinical convention).
HIGH_IRRITABILITY_HOLD_WEEKS = 2


def hold_weeks(intake: Intake) -> int:
    """Extra weeks at the Learn dose: :data:`HIGH_IRRITABILITY_HOLD_WEEKS` when irritability is high."""
    return HIGH_IRRITABILITY_HOLD_WEEKS if intake.irritability == "high" else 0


def plan_length(intake: Intake) -> int:
    """8 weeks for front-of-knee pain or a patellofemoral/tendon label, else 6 (convention)."""
    long_labels = ("patellofemoral_pain", "patellar_tendinopathy")
    return 8 if "front" in intake.pain_location or intake.known_diagnosis in long_labels else 6


def weekly_doses(
    ex: Exercise, weeks: int, lib: ExerciseLibrary, *, adolescent: bool = False, hold_weeks: int = 0
) -> list[WeekDose]:
    """Week-by-week dose of one exercise from the schedule (clinical convention).

    Strength and neuromuscular work follows each phase's effort target (RPE) and progression
    criterion; under 18 (``adolescent``) the base version is kept and the effort stays at the
    Build phase; ``hold_weeks`` extra weeks are spent at the Learn dose first (high irritability).
    """
    out = []
    cap = next(s for s in lib.schedule if s.phase == ADOLESCENT_MAX_PHASE)
    for week in range(1, weeks + 1):
        step = lib.step_for_week(max(1, week - hold_weeks))
        effort: ScheduleStep = cap if adolescent and week > max(cap.weeks) else step
        harder = step.variant == "progression" and not adolescent
        variant = f"{ex.name}, harder version: {ex.progression}" if harder else ex.name
        intensity = effort.intensity if ex.kind in RPE_KINDS else None
        if intensity and ex.dosage.reps is None:  # holds: the effort, without repetitions in reserve
            intensity = intensity.split(" (")[0]
        rm = effort.rm_for(ex.dosage.reps) if ex.kind in RPE_KINDS and ex.dosage.intensity is None else ""
        intensity = f"{intensity}; {rm}" if intensity and rm else intensity
        out.append(
            WeekDose(
                week=week,
                phase=step.phase,
                variant=variant,
                dose=ex.dosage.describe(effort.extra_sets, intensity),
                note=step.note,
                progress_when=effort.progress_when if ex.kind in RPE_KINDS else "the pain rule held all week",
            )
        )
    return out


def _pick(lib: ExerciseLibrary, factor: str, taken: set[str], n: int) -> list[Exercise]:
    first = [e for e in lib.exercises if e.factors[0] == factor and e.id not in taken]
    other = [e for e in lib.exercises if factor in e.factors[1:] and e.id not in taken]
    return [e for e in first + other if not e.pathway_only][:n]


def _choose(findings: Findings, intake: Intake, lib: ExerciseLibrary) -> list[tuple[Exercise, str, str]]:
    chosen: list[tuple[Exercise, str, str]] = []
    taken: set[str] = set()

    def add(exercises: list[Exercise], factor: str, why: str) -> None:
        for e in exercises:
            if len(chosen) < MAX_EXERCISES and e.id not in taken:
                chosen.append((e, factor, why))
                taken.add(e.id)

    if oa_pathway(intake):
        for ex_id, why in OA_EXERCISES:
            add([lib.get(ex_id)], "osteoarthritis", why)
    if intake.known_diagnosis == "patellar_tendinopathy":
        add(
            [lib.get("wall_sit")],
            "quadriceps",
            "Staged tendon loading starts isometric: " + cite("Malliaras 2015", "W"),
        )
    for f in findings.flagged()[:TOP_FACTORS]:
        if f.factor in ("osteoarthritis", "running_mechanics"):
            continue
        add(
            _pick(lib, f.factor, taken, PER_FACTOR),
            f.factor,
            f"Targets {f.title.lower()}, found {_found(f.evidence)}.",
        )
    if "front" in intake.pain_location or intake.known_diagnosis == "patellofemoral_pain":
        why = "Hip and knee exercise for front-of-knee pain: " + cite("Crossley 2016 BJSM 50:844", "E")
        for factor in ("hip_core_foot", "quadriceps"):
            if not any(e.factors[0] == factor for e, _, _ in chosen):
                add(_pick(lib, factor, taken, 1), factor, why)
    if not chosen:
        why = "Exercise and education are the best-supported treatments for knee pain: " + cite(
            "Crossley 2016 BJSM 50:844", "E"
        )
        add(_pick(lib, "hip_core_foot", taken, 1) + _pick(lib, "quadriceps", taken, 1), "hip_core_foot", why)
    return chosen


#: The osteoarthritis pathway's exercises and why (clinical-evidence.md section 8).
OA_EXERCISES: tuple[tuple[str, str], ...] = (
    (
        "oa_neuromuscular",
        "Osteoarthritis pathway, neuromuscular training: " + cite("Skou & Roos 2017 (GLA:D)", "W"),
    ),
    (
        "sit_to_stand",
        "Osteoarthritis pathway, quadriceps strength: " + cite("OARSI 2019; ACR 2019; EULAR 2023", "E"),
    ),
    ("side_lying_hip_abduction", "Osteoarthritis pathway, hip strength: " + cite("Bennell 2010", "W")),
    (
        "oa_aerobic",
        "Osteoarthritis pathway, aerobic exercise: " + cite("OARSI 2019; ACR 2019; EULAR 2023", "E"),
    ),
)


def _found(evidence: list[MeasureFinding]) -> str:
    flagged = [e for e in evidence if e.flagged]
    if not flagged:
        return "in your assessment"
    return f"{flagged[0].band} ({flagged[0].name.lower()})"


def running_guidance(findings: Findings, intake: Intake, cadence: float | None) -> RunningGuidance | None:
    """Step-rate retraining (when running mechanics are flagged) and load advice for a runner.

    Parameters
    ----------
    findings : Findings
        Whether running mechanics were flagged.
    intake : Intake
        Weekly volume, its recent change and aggravating activities.
    cadence : float, optional
        Measured step rate, steps/min; the metronome beats are +5% and +10% of it.
    """
    if intake.weekly_km <= 0:
        return None
    flagged = step_rate_indicated(findings, intake)
    beats = [round(cadence * (1 + s)) for s in CADENCE_STEPS] if flagged and cadence else []
    return RunningGuidance(
        measured_cadence=round(cadence, 1) if cadence else None,
        beats=beats,
        weeks=_cadence_weeks(beats, flagged),
        load_advice=_load_advice(intake),
        sources=[
            cite("Heiderscheit 2011 MSSE 43:296; Lenhart 2014 MSSE 46:557 (knee load)", "E"),
            cite("Anderson 2022 Sports Med Open (pain); Bramah 2019 AJSM; Willy 2012 (faded feedback)", "W"),
            "Timeline and load advice: clinical convention.",
        ],
    )


def step_rate_indicated(findings: Findings, intake: Intake) -> bool:
    """Whether to suggest +5-10% step rate: flagged running mechanics, or front-of-knee pain.

    Front-of-knee pain qualifies whatever the measured step rate: +10% cut peak patellofemoral
    force 14% (Lenhart 2014 [E load]) and one session helped runners with this pain (Bramah 2019
    [W]); cadence itself has no individual cut-off (Thakkar 2019's tertiles are group results).
    Not under 18 (clinical convention).
    """
    if intake.adolescent:
        return False
    mechanics = any(f.factor == "running_mechanics" for f in findings.flagged())
    return mechanics or "front" in intake.pain_location


def _cadence_weeks(beats: list[int], flagged: bool) -> list[str]:
    if not flagged:
        return []
    if not beats:
        return [
            "Your step rate was not measured: count your steps for 30 s at easy pace and double it, "
            "then set a metronome 5% higher (multiply by 1.05) and follow the same timeline."
        ]
    five, ten = beats
    return [
        f"Weeks 1-2: run with a metronome at {five} beats per minute (+5%) for 10 minutes of three "
        "easy runs a week, one foot landing on each beat.",
        f"Weeks 3-4: use {five} beats per minute for whole easy runs if the pain rule holds.",
        f"Weeks 5-6: try {ten} beats per minute (+10%) if {five} feels natural and the pain rule holds.",
        "Weeks 7-8: fade the metronome: use it on every other run, then only now and then to check.",
    ]


def _load_advice(intake: Intake) -> list[str]:
    advice = [
        "Keep your weekly running at a level where the pain rule holds; if it does not, cut the "
        "next runs shorter."
    ]
    if intake.volume_change == "increased":
        advice.append(
            "Your running volume went up recently: go back toward what you ran before the increase "
            "until the pain rule holds for two weeks, then build up gradually."
        )
    hills = [a for a in intake.aggravating if a in ("downhill", "hills")]
    if hills:
        advice.append("Hills make it worse for you: choose flat routes for now and bring hills back last.")
    advice.append(
        "Do not switch your foot-strike pattern on your own: a forefoot strike eases the kneecap "
        "joint but loads the calf and Achilles more (" + cite("Vannatta 2015", "W") + ")."
    )
    return advice


def make_plan(
    findings: Findings, intake: Intake, *, cadence: float | None = None, start: date | None = None
) -> Plan:
    """Build the plan from ranked findings; no plan when a red flag is present.

    Parameters
    ----------
    findings : Findings
        From :func:`kinechain.clinic.findings.assess_findings`.
    intake : Intake
        Pain location, diagnosis label and running volume.
    cadence : float, optional
        Measured running step rate, steps/min (for the metronome beats).
    start : date, optional
        First day of the plan; the assessment date by default.
    """
    start = start or intake.assessment_date
    if findings.stopped:
        return Plan(stopped=True, stop_message=findings.stop_message, start=start)
    lib = exercise_library()
    weeks = plan_length(intake)
    young, hold = intake.adolescent, hold_weeks(intake)
    exercises = [
        PlanExercise(
            exercise=e,
            factor=factor,
            why=why,
            weeks=weekly_doses(e, weeks, lib, adolescent=young, hold_weeks=hold),
        )
        for e, factor, why in _choose(findings, intake, lib)
    ]
    return Plan(
        stopped=False,
        start=start,
        weeks=weeks,
        retest=start + timedelta(weeks=weeks),
        exercises=exercises,
        running=running_guidance(findings, intake, cadence),
        pathways=condition_pathways(intake),
        education=education_for(intake),
        adolescent=young,
        conventions=_conventions(weeks, young, hold),
    )


def education_for(intake: Intake) -> list[EducationTopic]:
    """Return the education topics that apply to this person, in the module order."""
    applies = {"all", "runner"} if intake.weekly_km > 0 else {"all"}
    applies |= {"adolescent"} if intake.adolescent else set()
    applies |= {"osteoarthritis"} if oa_pathway(intake) else set()
    return [t for t in education().topics if t.applies_to in applies]


def _conventions(weeks: int, adolescent: bool, hold: int) -> list[str]:
    out = [
        f"Plan length ({weeks} weeks), choice of exercises, sets, repetitions, rest, the effort targets "
        "(RPE and repetitions in reserve), the progression criteria and the weekly progression are "
        "clinical convention: no primary source gives them.",
        f"Retest after {weeks} weeks (clinical convention), filming the same tests the same way.",
    ]
    if hold:
        out.append(
            f"High irritability (clinical convention): the first {2 + hold} weeks stay at the Learn dose "
            "before the plan builds up."
        )
    if adolescent:
        out.append(
            "Under 18 (clinical convention): body weight only, the base version of each exercise, effort "
            "kept at RPE 5-6, and no change of step rate, until a clinician says otherwise."
        )
    return out
