"""Red flags as a referral: which flags were answered yes, the most urgent level, what to say.

Levels and wording are clinical convention (``red_flags.yaml``); the list of flags comes from
clinical-evidence.md section 10, except the deep-vein thrombosis and cancer-history questions.
"""

from __future__ import annotations

from kinechain.clinic.intake import Intake
from kinechain.clinic.knowledge import URGENCY_ORDER, red_flags
from kinechain.model.findings import RedFlagHit, Referral


def red_flag_hits(intake: Intake) -> list[RedFlagHit]:
    """Return the red flags answered "yes", most urgent first."""
    hits = [
        RedFlagHit(id=f.id, question=f.question, reason=f.reason, urgency=f.urgency, source=f.source)
        for f in intake.positive_red_flags()
    ]
    return sorted(hits, key=lambda h: URGENCY_ORDER.index(h.urgency))


def referral(hits: list[RedFlagHit]) -> Referral | None:
    """Return the most urgent level among the hits (None without a hit); clinical convention."""
    if not hits:
        return None
    level = min((h.urgency for h in hits), key=URGENCY_ORDER.index)
    spec = red_flags().levels[level]  # type: ignore[index]
    return Referral(urgency=level, title=spec.title, action=spec.action)


def stop_message(hits: list[RedFlagHit]) -> str:
    """Return what to tell the person when a red flag is present: the action, then the reasons."""
    ref = referral(hits)
    assert ref is not None
    reasons = " ".join(h.reason for h in hits)
    return (
        f"{ref.title}. {ref.action} {reasons} kinechain has therefore not made an exercise or "
        "running plan, and this report ends here."
    )
