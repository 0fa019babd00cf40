"""Ask the intake questions one by one in a terminal (``kinechain intake``).

The questions come from ``data/intake_questions.yaml`` and ``data/red_flags.yaml``; the answers
are checked as they are typed (ranges, choices), and the whole intake by
:func:`kinechain.clinic.intake.parse_intake` at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kinechain.clinic.intake import Intake, parse_intake
from kinechain.clinic.knowledge import Question, intake_questions, red_flags

Ask = Callable[[str], str]
Say = Callable[[str], None]


def _parse_answer(q: Question, raw: str) -> Any:
    """Turn one typed answer into a field value; ValueError with a hint when it is invalid."""
    raw = raw.strip()
    if q.kind in ("int", "float"):
        value = int(raw) if q.kind == "int" else float(raw)
        if (q.min is not None and value < q.min) or (q.max is not None and value > q.max):
            raise ValueError(f"enter a number from {q.min:g} to {q.max:g}")
        return value
    choices = q.choices or {}
    keys = list(choices)
    picked = [_pick(keys, part) for part in raw.replace(" ", ",").split(",") if part]
    if q.kind == "choice":
        if len(picked) != 1:
            raise ValueError("enter one number from the list")
        return picked[0]
    return picked


def _pick(keys: list[str], part: str) -> str:
    if part in keys:
        return part
    if part.isdigit() and 1 <= int(part) <= len(keys):
        return keys[int(part) - 1]
    raise ValueError(f"enter numbers from 1 to {len(keys)}")


def _ask_question(q: Question, ask: Ask, say: Say) -> Any:
    """Ask one question until the answer is valid; None for a blank optional answer."""
    if q.kind == "yesno":
        return _ask_yes_no(q.text, ask, say, optional=q.optional)
    if q.choices:
        say(q.text + (" (blank to skip)" if q.optional else ""))
        for i, label in enumerate(q.choices.values(), start=1):
            say(f"  {i}. {label}")
    while True:
        raw = ask(">" if q.choices else q.text + (" (blank to skip) " if q.optional else " "))
        if q.kind == "multi" and not raw.strip():
            return []
        if q.optional and not raw.strip():
            return None
        try:
            return _parse_answer(q, raw)
        except ValueError as exc:
            say(f"  {exc}")


def _ask_yes_no(text: str, ask: Ask, say: Say, *, optional: bool = False) -> bool | None:
    while True:
        raw = ask(f"{text} [y/n{', blank to skip' if optional else ''}] ").strip().lower()
        if optional and not raw:
            return None
        if raw in ("y", "yes", "n", "no"):
            return raw.startswith("y")
        say("  answer y or n")


def _ask_number(text: str, ask: Ask, say: Say, lo: float, hi: float) -> float | None:
    q = Question(field="n", text=text, kind="float", min=lo, max=hi)
    while raw := ask(text + " ").strip():
        try:
            value: float = _parse_answer(q, raw)
            return value
        except ValueError as exc:
            say(f"  {exc}")
    return None


def _ask_dynamometer(ask: Ask, say: Say) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, spec in intake_questions().dynamometer.items():
        say(f"{spec.name}: {spec.how}")
        pair = {
            side: _ask_number(f"  {side}, N or kg (blank if not done)", ask, say, 1, 2000)
            for side in ("left", "right")
        }
        reading: dict[str, Any] = {k: v for k, v in pair.items() if v is not None}
        if not reading:
            continue
        unit = ask("  unit, N or kg [N] ").strip() or "N"
        reading["unit"] = "kg" if unit.lower().startswith("k") else "N"
        lever = _ask_number("  lever arm, m (blank if not measured)", ask, say, 0.05, 1.2)
        out[key] = {**reading, **({"lever_m": lever} if lever is not None else {})}
    return out


def _ask_psfs(ask: Ask, say: Say) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while len(items) < 5:
        activity = ask(f"PSFS activity {len(items) + 1} (blank to finish): ").strip()
        if not activity:
            break
        q = Question(field="score", text=f"  score for '{activity}' (0-10)", kind="int", min=0, max=10)
        items.append({"activity": activity, "score": _ask_question(q, ask, say)})
    return items


def _ask_self_tests(ask: Ask, say: Say) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}
    for field, spec in intake_questions().self_tests.items():
        say(f"{spec.name} ({spec.unit}): {spec.how}")
        pair: dict[str, float] = {}
        for side in ("left", "right"):
            q = Question(field=side, text=f"  {side} (blank if not done)", kind="float", min=0, max=spec.max)
            raw = ask(q.text + " ").strip()
            while raw:
                try:
                    pair[side] = _parse_answer(q, raw)
                    break
                except ValueError as exc:
                    say(f"  {exc}")
                    raw = ask(q.text + " ").strip()
        if pair:
            result[field] = pair
    return result


def prompt_intake(ask: Ask = input, say: Say = print) -> Intake:
    """Ask every intake question, then the red-flag questions, and return the Intake.

    Parameters
    ----------
    ask : callable
        Shows a prompt and returns the typed answer (``input`` by default).
    say : callable
        Shows a line of text (``print`` by default).
    """
    doc: dict[str, Any] = {}
    sections = {"psfs": _ask_psfs, "self_tests": _ask_self_tests, "dynamometer": _ask_dynamometer}
    for q in intake_questions().questions:
        if q.max_age is not None and doc.get("age", 0) > q.max_age:
            continue
        if q.kind in sections:
            say(q.text)
            answer = sections[q.kind](ask, say)
        else:
            answer = _ask_question(q, ask, say)
        if answer is not None and answer != {}:
            doc[q.field] = answer
    say("Safety questions: answer each one.")
    flags = [f for f in red_flags().flags if f.max_age is None or doc["age"] <= f.max_age]
    doc["red_flags"] = {f.id: _ask_yes_no(f.question, ask, say) for f in flags}
    return parse_intake(doc)
