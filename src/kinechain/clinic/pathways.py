"""Condition pathways shown with the plan: osteoarthritis, tendon loading, adolescents.

Sources: clinical-evidence.md section 8 (osteoarthritis: OARSI 2019, ACR 2019, EULAR 2023 [E];
GLA:D, Skou & Roos 2017; Henriksen 2023; Bennell 2010) and section 9 (tendon loading, Malliaras
2015 [W]). The adolescent pathway is clinical convention: the reference has no adolescent
pathway, and names neither Osgood-Schlatter nor Sinding-Larsen-Johansson.
"""

from __future__ import annotations

from kinechain.clinic.explain import cite
from kinechain.clinic.intake import Intake
from kinechain.clinic.intake_checks import oa_criteria, oa_pathway
from kinechain.model.plan import Pathway


def condition_pathways(intake: Intake) -> list[Pathway]:
    """Return the pathways that apply to this person, adolescent first."""
    out = [p for p in (_adolescent(intake), _osteoarthritis(intake)) if p is not None]
    if intake.known_diagnosis == "patellar_tendinopathy":
        out.append(
            Pathway(
                title="Tendon loading stages",
                points=[
                    "Isometric holds (about 70% effort, 45 s x 4-5), then slow heavy lifts, then springy "
                    "loading (hops), then back to sport, moving on when the pain rule holds.",
                ],
                source=cite("Malliaras 2015", "W"),
            )
        )
    return out


def _osteoarthritis(intake: Intake) -> Pathway | None:
    if not oa_pathway(intake):
        return None
    points = [
        "Education plus structured exercise is the core treatment; weight management where relevant.",
        "Exercise: neuromuscular knee control (GLA:D-style), quadriceps and hip strength, and aerobic "
        "exercise such as walking or cycling, each at the dose in the exercise table.",
        "A structured programme such as GLA:D runs 2 education and 12 supervised sessions over 6 weeks "
        "(pain down 12.4/100 at 3 months; a later trial found a small effect over placebo).",
    ]
    if intake.known_diagnosis != "osteoarthritis":
        oa = oa_criteria(intake)
        points.insert(
            0,
            f"Suggested from {oa.count} of 5 clinical criteria ({'; '.join(oa.met)}), not from a "
            f"clinician's label: a clinician should check it ({oa.source}).",
        )
    return Pathway(
        title="Osteoarthritis pathway",
        points=points,
        source=cite("OARSI 2019; ACR 2019; EULAR 2023", "E")
        + "; "
        + cite("Skou & Roos 2017; Henriksen 2023; Bennell 2010", "W"),
    )


def _adolescent(intake: Intake) -> Pathway | None:
    if not intake.adolescent:
        return None
    points = []
    if intake.tuberosity_pain:
        points.append(
            "Pain on the bony bump at the top of the shin in a growing athlete fits the pattern often "
            "called Osgood-Schlatter; a clinician can check it."
        )
    if intake.lower_pole_pain:
        points.append(
            "Pain at the bottom tip of the kneecap in a growing athlete fits the pattern often called "
            "Sinding-Larsen-Johansson; a clinician can check it."
        )
    if intake.growth_spurt:
        points.append("A recent growth spurt: bones have grown faster than muscles and tendons have adapted.")
    points += [
        "Load management in growth: keep playing sport at a load the pain rule allows; reduce jumping, "
        "sprinting and kneeling first rather than stopping all sport.",
        "Plan limits: body weight only, the base version of each exercise, moderate effort (RPE 5-6), "
        "no change of step rate; a parent or guardian should know about the plan.",
    ]
    return Pathway(
        title="Adolescent pathway (under 18)",
        points=points,
        source="clinical convention (clinical-evidence.md has no adolescent pathway)",
    )
