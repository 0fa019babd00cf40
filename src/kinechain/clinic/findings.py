"""Findings: a band for every measure, then ranked findings per kinetic-chain factor.

Each measure is matched to its rule in ``data/rules.yaml`` and given a band (typical,
borderline, notable) or shown without one when the evidence gives no threshold. The bands of
all tests are then combined per factor, weighted by pain location and by a clinician's
diagnosis when the person gives one, and ranked. Red flags stop everything.

Scoring (all clinical convention, stated in docs/clinic.md): a measure scores
``band points x strength weight x measurement confidence`` (points notable 2, borderline 1,
typical 0; weights [E] 1.0, [W] 0.6, [U] 0.3); a rule counts its highest-scoring measure;
a factor sums its rules and is multiplied by ``location_weight`` when the pain location or the
diagnosis points to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from kinechain.clinic.explain import explain_factor
from kinechain.clinic.intake import Intake
from kinechain.clinic.intake_checks import oa_pathway
from kinechain.clinic.knowledge import FACTORS, Knowledge, Rule, knowledge
from kinechain.clinic.referral import red_flag_hits, referral, stop_message
from kinechain.model.findings import (
    BAND_POINTS,
    Band,
    FactorFinding,
    Findings,
    LinkFinding,
    MeasureFinding,
    NotMeasured,
    Status,
)
from kinechain.model.measures import Measure, MeasureSet
from kinechain.model.vocab import Side, View

#: A factor flagged only by borderline measures has its confidence scaled by this (convention).
BORDERLINE_CONFIDENCE = 0.6


def format_value(value: float | None, unit: str) -> str:
    """Format a measured value plainly: "12.3°", "168 steps/min", "25 reps"."""
    if value is None:
        return "not measurable"
    if unit == "deg":
        return f"{value:.1f}°"
    if unit in ("steps/min", "ms", "reps", "s"):
        return f"{value:.0f} {unit}"
    if unit == "%":
        return f"{value:.0f}%"
    if unit in ("Nm/kg", "N/kg"):
        return f"{value:.2f} {unit}"
    return f"{value:.1f} {unit}"


# --------------------------------------------------------------------------- measure bands


def _band_text(rule: Rule, sex: str | None) -> tuple[str, str | None]:
    bands = rule.bands_for(sex)
    unit = rule.unit or ""
    if rule.bands is None:
        return "no validated threshold; shown and tracked", None
    if bands is None:
        return "bands differ for women and men", "sex not given, so no band is applied"
    parts = [f"notable {bands.notable.describe(unit)}"]
    if bands.borderline is not None:
        parts.append(f"borderline {bands.borderline.describe(unit)}")
    who = f" ({sex})" if rule.by_sex else ""
    return "; ".join(parts) + who, None


def _sentence(rule: Rule, m: Measure) -> str:
    value = f"{m.value:.0f}" if m.unit == "reps" and m.value is not None else format_value(m.value, m.unit)
    text = rule.plain.format(value=value, name=m.name)
    if m.side in ("left", "right"):
        return f"{m.side.capitalize()} side: {text}"
    return text[0].upper() + text[1:]


def evaluate_measure(m: Measure, *, test: str, sex: str | None, kb: Knowledge) -> MeasureFinding | None:
    """Judge one measurable measure against its rule; None when no rule covers it."""
    rule = kb.rule_for(m.id, m.unit)
    if rule is None or m.value is None:
        return None
    bands = rule.bands_for(sex)
    text, note = _band_text(rule, sex)
    return MeasureFinding(
        measure_id=m.id,
        name=m.name,
        test=test,
        side=m.side,
        value=m.value,
        unit=m.unit,
        spread=m.spread,
        n=m.n,
        per_cycle=m.per_cycle,
        confidence=m.confidence,
        band=bands.band(m.value) if bands is not None else None,
        band_text=text,
        band_note=note,
        rule_id=rule.id,
        rule_title=rule.title,
        citation=rule.citation,
        strength=rule.strength,
        band_basis=rule.band_basis,
        factors=rule.factors,
        sdd=rule.sdd.value if rule.sdd else None,
        sentence=_sentence(rule, m),
    )


def _asymmetry(left: MeasureFinding, right: MeasureFinding, rule: Rule) -> MeasureFinding | None:
    """Judge a left-right difference: beyond the SDD is beyond measurement error (convention)."""
    if rule.sdd is None:
        return None
    diff = abs(left.value - right.value)
    beyond = diff > rule.sdd.value
    band: Band | None = None if rule.direction == "none" else ("borderline" if beyond else "typical")
    verdict = "more than" if beyond else "within"
    return left.model_copy(
        update={
            "measure_id": f"{left.measure_id}.side_difference",
            "name": f"{left.name}, left-right difference",
            "side": "both",
            "value": diff,
            "spread": None,
            "per_cycle": [],
            "confidence": min(left.confidence, right.confidence),
            "band": band,
            "band_text": (
                f"borderline when the sides differ by more than the SDD ({rule.sdd.value:g} {left.unit})"
            ),
            "citation": f"clinical convention: side difference beyond the SDD ({rule.sdd.citation})",
            "strength": "U",
            "rule_id": f"{rule.id}.side_difference",
            "sentence": (
                f"{left.name}: left {format_value(left.value, left.unit)} and right "
                f"{format_value(right.value, right.unit)} differ by {format_value(diff, left.unit)}, "
                f"{verdict} the measurement error ({format_value(rule.sdd.value, left.unit)})"
            ),
        }
    )


def evaluate_sets(
    sets: Iterable[MeasureSet], *, sex: str | None, kb: Knowledge | None = None
) -> tuple[list[MeasureFinding], list[NotMeasured], list[str]]:
    """Judge every measure of every test.

    Returns
    -------
    findings : list of MeasureFinding
        Banded or descriptive results, plus left-right differences beyond the SDD.
    not_measurable : list of NotMeasured
        Measures the videos could not give, with the reason.
    unknown : list of str
        Measure ids no rule covers (shown in the report without interpretation).
    """
    kb = kb or knowledge()
    found: list[MeasureFinding] = []
    missing: list[NotMeasured] = []
    unknown: list[str] = []
    diffs: list[MeasureFinding] = []
    for ms in sets:
        in_set: list[MeasureFinding] = []
        for m in ms.measures:
            if not m.measurable:
                test_title = _test_title(m.id, kb)
                missing.append(
                    NotMeasured(what=f"{m.name} ({m.side})", test=test_title, reason=m.reason or "")
                )
                continue
            f = evaluate_measure(m, test=ms.test, sex=sex, kb=kb)
            if f is None:
                unknown.append(m.id)
            else:
                in_set.append(_far_leg(f) if _is_far_leg(ms.view, f.side) else f)
        found += in_set
        # a side view sees one leg well and the other partly hidden: no left-right difference
        diffs += [] if ms.view in ("left", "right") else _side_differences(in_set, kb)
    return found + diffs, missing, unknown


#: Said of a measure of the leg further from the camera in a side view (clinical convention).
FAR_LEG_NOTE = "far leg, partly hidden from the camera in this side view: shown, not banded"


def _is_far_leg(view: View | None, side: Side) -> bool:
    return view in ("left", "right") and side in ("left", "right") and side != view


def _far_leg(f: MeasureFinding) -> MeasureFinding:
    """Return the far leg's finding in a side view: kept and shown, but never banded."""
    return f.model_copy(update={"band": None, "band_note": FAR_LEG_NOTE})


def _side_differences(found: list[MeasureFinding], kb: Knowledge) -> list[MeasureFinding]:
    by_key = {(f.measure_id, f.side): f for f in found}
    out = []
    for (mid, side), left in by_key.items():
        right = by_key.get((mid, "right"))
        if side != "left" or right is None:
            continue
        rule = kb.rule_for(mid, left.unit)
        diff = _asymmetry(left, right, rule) if rule is not None else None
        if diff is not None:
            out.append(diff)
    return out


def _test_title(measure_id: str, kb: Knowledge) -> str:
    info = kb.tests.get(measure_id.split(".", 1)[0])
    return info.title if info else measure_id.split(".", 1)[0]


# --------------------------------------------------------------------------- factors


def _weight(factor: str, intake: Intake, kb: Knowledge) -> tuple[float, list[str]]:
    reasons = [
        f"pain at the {kb.pain_locations[loc].label}: {kb.pain_locations[loc].basis}"
        for loc in intake.pain_location
        if factor in kb.pain_locations[loc].factors
    ]
    dx = kb.known_diagnoses[intake.known_diagnosis]
    if factor in dx.factors:
        reasons.append(f"a clinician's label of {dx.label} (as you reported): {dx.basis}")
    return (kb.location_weight if reasons else 1.0), reasons


def _not_measured_for(factor: str, sets: list[MeasureSet], kb: Knowledge) -> list[NotMeasured]:
    present = {m.id for ms in sets for m in ms.measures}
    filmed = {ms.test for ms in sets} | ({"self"} if any(ms.test == "self_tests" for ms in sets) else set())
    out = []
    for rule in kb.rules_for_factor(factor):
        absent = [mid for mid in rule.measures if mid not in present]
        if not absent:
            continue
        prefix = absent[0].split(".", 1)[0]
        info = kb.tests[prefix]
        if prefix in filmed:
            reason = f"not given by the clips analysed; {info.film}"
        else:
            reason = f"not filmed or entered ({info.film})"
        out.append(NotMeasured(what=rule.title, test=info.title, reason=reason))
    return out


def _status(evidence: list[MeasureFinding]) -> Status:
    if any(e.flagged for e in evidence):
        return "flagged"
    if any(e.band == "typical" for e in evidence):
        return "typical"
    return "descriptive" if evidence else "not_assessed"


def _score(evidence: list[MeasureFinding]) -> float:
    best: dict[str, float] = {}
    for e in evidence:
        best[e.rule_id] = max(best.get(e.rule_id, 0.0), e.score)
    return sum(best.values())


def _confidence(evidence: list[MeasureFinding]) -> float:
    flagged = [e for e in evidence if e.flagged]
    pool = flagged or [e for e in evidence if e.band is not None] or evidence
    if not pool:
        return 0.0
    scaled = [e.confidence * (1.0 if e.band != "borderline" else BORDERLINE_CONFIDENCE) for e in pool]
    return round(max(scaled) if flagged else max(e.confidence for e in pool), 3)


def _factor_finding(
    factor: str, intake: Intake, found: list[MeasureFinding], sets: list[MeasureSet], kb: Knowledge
) -> FactorFinding:
    evidence = sorted(
        (e for e in found if factor in e.factors),
        key=lambda e: (-BAND_POINTS.get(e.band or "typical", 0.0), -e.score),
    )
    weight, reasons = _weight(factor, intake, kb)
    status, score, conf = _status(evidence), _score(evidence), _confidence(evidence)
    if factor == "osteoarthritis":
        flagged = oa_pathway(intake)
        status = "flagged" if flagged else "not_assessed"
        score, conf = (BAND_POINTS["notable"], 1.0) if flagged else (0.0, 0.0)
    info = kb.factors[factor]
    return FactorFinding(
        factor=factor,
        title=info.title,
        plain=info.plain,
        status=status,
        score=round(score * weight, 4),
        weight=weight,
        weight_reasons=reasons,
        confidence=conf,
        evidence=evidence,
        caveats=info.caveats,
        not_measured=_not_measured_for(factor, sets, kb),
    )


def _links(factors: list[FactorFinding], kb: Knowledge) -> list[FactorFinding]:
    flagged = {f.factor for f in factors if f.status == "flagged"}
    out = []
    for f in factors:
        links = [
            LinkFinding(text=c.text, citation=c.citation, strength=c.strength)
            for c in kb.chain_links
            if f.status == "flagged"
            and f.factor in (c.from_, c.to)
            and c.from_ in flagged
            and (c.to is None or c.to in flagged)
        ]
        out.append(f.model_copy(update={"links": links}))
    return out


STATUS_ORDER: dict[str, int] = {"flagged": 0, "typical": 1, "descriptive": 2, "not_assessed": 3}


def assess_findings(sets: list[MeasureSet], intake: Intake, *, kb: Knowledge | None = None) -> Findings:
    """Combine every test of one assessment with the intake into ranked factor findings.

    Parameters
    ----------
    sets : list of MeasureSet
        The measures of each test (include the self-tests, see
        :func:`kinechain.clinic.intake.self_test_measures`).
    intake : Intake
        Pain location and diagnosis weight the factors; red flags stop the plan.
    kb : Knowledge, optional
        The rules (the packaged ``rules.yaml`` by default).

    Returns
    -------
    Findings
        Factors ranked flagged first (highest score first), then typical, descriptive and not
        assessed; each with its explanation.
    """
    kb = kb or knowledge()
    found, missing, unknown = evaluate_sets(sets, sex=intake.sex_for_bands, kb=kb)
    factors = [_factor_finding(f, intake, found, sets, kb) for f in FACTORS]
    factors = _links(factors, kb)
    factors = sorted(factors, key=lambda f: (STATUS_ORDER[f.status], -f.score))
    factors = [explain_factor(f, intake, kb) for f in factors]
    hits = red_flag_hits(intake)
    return Findings(
        stopped=bool(hits),
        red_flags=hits,
        stop_message=stop_message(hits) if hits else None,
        referral=referral(hits),
        factors=factors,
        measures=found,
        not_measurable=missing,
        unknown_measures=sorted(set(unknown)),
    )
