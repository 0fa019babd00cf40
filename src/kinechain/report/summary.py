"""Plain-language sentences about a result: what was measured, and what could not be.

These describe the numbers only; they apply no thresholds and make no judgement (findings and
their evidence belong to the clinic assessment).
"""

from __future__ import annotations

from kinechain.model.measures import Measure
from kinechain.model.result import AnalysisResult
from kinechain.model.vocab import Leg, Side

VIEW_WORDS = {
    "left": "from the runner's left side (left leg nearest the camera)",
    "right": "from the runner's right side (right leg nearest the camera)",
    "front": "from the front",
    "back": "from behind",
}

UNIT_DECIMALS = {"ms": 0, "steps/min": 0, "deg": 0, "% leg length": 0}


def fmt_value(m: Measure, decimals: int | None = None) -> str:
    """Return a measure's value with its unit for prose, e.g. "8°", "169 steps/min", "25 % of leg length"."""
    if m.value is None:
        return "not measurable"
    d = UNIT_DECIMALS.get(m.unit, 1) if decimals is None else decimals
    v = f"{m.value:.{d}f}"
    if m.unit == "deg":
        return f"{v}°"
    if m.unit == "% leg length":
        return f"{v}% of leg length"
    return f"{v} {m.unit}"


def _value(result: AnalysisResult, mid: str, side: Side | None = None) -> tuple[Measure, float] | None:
    """Return the measure and its value, or None when absent or not measurable."""
    m = result.measure(mid, side)
    if m is None or not m.measurable or m.value is None:
        return None
    return m, m.value


def _not_measured(result: AnalysisResult) -> list[str]:
    missing = [m for m in result.measures if not m.measurable]
    if not missing:
        return [f"All {len(result.measures)} measures could be taken from this video."]
    sides = sorted({m.side for m in missing if m.side in ("left", "right")})
    if sides and all(m.side in sides for m in missing):
        reason = missing[0].reason or "see the table"
        return [f"The {' and '.join(sides)} leg could not be measured: {reason}."]
    names = ", ".join(sorted({m.name.lower() for m in missing}))
    return [
        f"{len(missing)} of {len(result.measures)} measures could not be taken ({names}); the table says why."
    ]


def _low_confidence(result: AnalysisResult) -> list[str]:
    low = [m for m in result.measures if m.measurable and m.confidence_label == "low"]
    if not low:
        return []
    sides = sorted({m.side for m in low})
    if sides in (["left"], ["right"]):
        return [
            f"The {sides[0]} leg's measures have low confidence: read them as a rough guide, "
            "and film that side too for firmer numbers."
        ]
    return [f"{len(low)} measures have low confidence (marked in the table); read them as a rough guide."]


def _ahead(value: float) -> str:
    return "ahead of" if value >= 0 else "behind"


def _landing(result: AnalysisResult, side: Leg) -> str | None:
    knee = _value(result, "running.knee_flexion_ic", side)
    if knee is None:
        return None
    parts = [f"the {side} knee was bent {fmt_value(knee[0])}"]
    if tibia := _value(result, "running.tibia_angle_ic", side):
        parts.append(
            f"the shin leaned {abs(tibia[1]):.0f}° from vertical with the ankle {_ahead(tibia[1])} the knee"
        )
    if heel := _value(result, "running.heel_to_hip_ic", side):
        parts.append(f"the heel touched down {abs(heel[1]):.0f}% of leg length {_ahead(heel[1])} the hips")
    text = "At foot strike " + ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    strike = _value(result, "running.foot_strike_angle", side)
    if strike and strike[0].category:
        text += f" (a {strike[0].category} strike)"
    return text + ", on average."


def running_summary(result: AnalysisResult) -> list[str]:
    """Sentences for a side-view running result (no thresholds; descriptive only)."""
    view = VIEW_WORDS.get(result.view.view, f"from the {result.view.view}")
    strikes = {
        s: sum(e.kind == "foot_strike" and e.side == s for e in result.events) for s in ("left", "right")
    }
    out = [
        f"Running filmed {view}: kinechain found {strikes['left']} left and "
        f"{strikes['right']} right foot strikes."
    ]
    if cadence := _value(result, "running.cadence"):
        out.append(f"Cadence was {fmt_value(cadence[0])}, averaged over {cadence[0].n} strides.")
    near = result.view.view if result.view.view in ("left", "right") else "left"
    for side in (near, "right" if near == "left" else "left"):
        if sentence := _landing(result, side):
            out.append(sentence)
    return out + _low_confidence(result) + _not_measured(result)


def generic_summary(result: AnalysisResult) -> list[str]:
    """Sentences for any test: what was filmed, how many measures were taken, what was not."""
    view = VIEW_WORDS.get(result.view.view, f"from the {result.view.view}")
    taken = sum(1 for m in result.measures if m.measurable)
    name = result.test.replace("_", " ").capitalize()
    first = f"{name} filmed {view}: {taken} of {len(result.measures)} measures taken."
    return [
        first,
        *_low_confidence(result),
        *_not_measured(result)[1 if taken == len(result.measures) else 0 :],
    ]
