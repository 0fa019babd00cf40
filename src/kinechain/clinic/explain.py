"""Plain-language explanations of factor findings.

Wording rules: name the measured values, the band and its source; say "associated with" and
"may add to", never that something causes the pain or that the person has a condition. Phrases in
:data:`DIAGNOSTIC_PHRASES` must never appear in generated findings or plans (tested).
"""

from __future__ import annotations

from kinechain.clinic.intake import Intake
from kinechain.clinic.intake_checks import oa_criteria
from kinechain.clinic.knowledge import Knowledge
from kinechain.model.findings import FactorFinding, MeasureFinding
from kinechain.model.measures import confidence_label

#: Phrases that would word a finding as a diagnosis or a certainty.
DIAGNOSTIC_PHRASES: tuple[str, ...] = (
    "you have",
    "you suffer",
    "diagnosed with",
    "diagnosis of",
    "we diagnose",
    "confirms",
    "proves",
    "is caused by",
    "causes your",
    "the cause of your",
    "definitely",
    "certainly",
)


def cite(citation: str, strength: str) -> str:
    """Format a citation with its strength mark, e.g. "Herrington 2014 [W]".

    When the citation already marks its sources one by one, the rule's own mark follows as
    "overall [W]".
    """
    if "[" in citation:
        return f"{citation}; overall [{strength}]"
    return f"{citation} [{strength}]"


def _evidence_line(e: MeasureFinding) -> str:
    conf = confidence_label(e.confidence)
    note = f"; {e.band_note}" if e.band_note else ""
    return (
        f"{e.sentence}: {e.band} ({e.band_text}{note}; {cite(e.citation, e.strength)}); "
        f"measurement confidence {conf}."
    )


def _headline(f: FactorFinding, intake: Intake, kb: Knowledge) -> str:
    if f.factor == "osteoarthritis" and f.status == "flagged":
        if intake.known_diagnosis == "osteoarthritis":
            return (
                f"{f.title} applies: you reported that a clinician found knee osteoarthritis, so the "
                "plan follows the osteoarthritis pathway."
            )
        oa = oa_criteria(intake)
        return (
            f"{f.title} is suggested for your clinician to check: {oa.count} of 5 clinical criteria "
            f"were met ({'; '.join(oa.met)}; {oa.source}). The plan follows the osteoarthritis "
            "pathway until a clinician decides otherwise."
        )
    notable = any(e.band == "notable" for e in f.evidence)
    words = {
        "flagged": "stood out" if notable else "was borderline",
        "typical": "was in the typical range",
        "descriptive": "was measured, but the evidence gives no threshold to judge it",
        "not_assessed": "was not assessed",
    }[f.status]
    return f"{f.title} ({f.plain}) {words}."


def _measured(f: FactorFinding) -> list[str]:
    flagged = [e for e in f.evidence if e.flagged]
    typical = [e for e in f.evidence if e.band == "typical"]
    plain = [e for e in f.evidence if e.band is None]
    parts = [_evidence_line(e) for e in flagged]
    if typical:
        parts.append("In the typical range: " + "; ".join(e.sentence for e in typical) + ".")
    if plain:
        parts.append(
            "Also measured, without a validated threshold: "
            + "; ".join(e.sentence + (f" ({e.band_note})" if e.band_note else "") for e in plain)
            + "."
        )
    return parts


def _meaning(f: FactorFinding) -> list[str]:
    if f.status != "flagged" or f.factor == "osteoarthritis":
        return []
    return [
        "This pattern is associated with knee pain and may add to the load on your knee; it is a "
        "screening result to discuss with a clinician, not a diagnosis."
    ]


def _weighting(f: FactorFinding, intake: Intake, kb: Knowledge) -> list[str]:
    if f.weight == 1.0 or f.status == "not_assessed":
        return []
    why = [
        kb.pain_locations[loc].label
        for loc in intake.pain_location
        if f.factor in kb.pain_locations[loc].factors
    ]
    if f.factor in kb.known_diagnoses[intake.known_diagnosis].factors:
        why.append(f"the label {kb.known_diagnoses[intake.known_diagnosis].label} you reported")
    return [f"It was ranked higher because of your pain location or reported label ({'; '.join(why)})."]


def not_measured_text(f: FactorFinding) -> str:
    """One sentence listing what was not measured for a factor, grouped by test."""
    groups: dict[tuple[str, str], list[str]] = {}
    for n in f.not_measured:
        groups.setdefault((n.test, n.reason), []).append(n.what)
    parts = [f"{test}: {', '.join(whats)} ({reason})" for (test, reason), whats in groups.items()]
    return "Not measured: " + "; ".join(parts) + "."


def explain_factor(f: FactorFinding, intake: Intake, kb: Knowledge) -> FactorFinding:
    """Return the finding with its headline and plain-language explanation filled in."""
    parts = _measured(f) + _meaning(f)
    parts += [f"Along the chain: {link.text} ({cite(link.citation, link.strength)})" for link in f.links]
    parts += _weighting(f, intake, kb)
    if f.status in ("flagged", "typical"):
        parts += [f"Evidence note: {c.text} ({cite(c.citation, c.strength)})" for c in f.caveats]
    if f.not_measured:
        parts.append(not_measured_text(f))
    if f.factor == "osteoarthritis" and f.status == "not_assessed":
        parts.append(
            "This pathway is used when a clinician has found knee osteoarthritis, or when 3 or more "
            "of its 5 clinical criteria are met (clinical convention)."
        )
    return f.model_copy(update={"headline": _headline(f, intake, kb), "explanation": " ".join(parts)})
