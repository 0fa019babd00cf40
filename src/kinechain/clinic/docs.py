"""Generate the rule and red-flag tables of docs/clinic.md from the knowledge files.

Run ``python -m kinechain.clinic.docs`` and paste the output into docs/clinic.md; a test checks
that the document holds the current tables.
"""

from __future__ import annotations

from kinechain.clinic.knowledge import BandSet, Rule, knowledge, red_flags


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "/")


def _bands(rule: Rule) -> str:
    if rule.bands is None:
        return "descriptive (no band)"
    unit = rule.unit or ""

    def one(bs: BandSet) -> str:
        text = f"notable {bs.notable.describe(unit)}"
        return text + (f"; borderline {bs.borderline.describe(unit)}" if bs.borderline else "")

    if "any" in rule.bands:
        return one(rule.bands["any"])
    return "; ".join(f"{sex}: {one(bs)}" for sex, bs in rule.bands.items())


def rules_table() -> str:
    """Return the Markdown table of every rule: measures, factor, bands, SDD, source, derivation."""
    head = (
        "| rule | measures | factor | bands | SDD used | source [strength] | how the numbers were set |\n"
        "|---|---|---|---|---|---|---|\n"
    )
    rows = []
    for r in knowledge().rules:
        sdd = (
            f"{r.sdd.value:g} {r.unit or ''} ({r.sdd.citation} [{r.sdd.strength}])" if r.sdd else "none known"
        )
        rows.append(
            "| `{}` | {} | {} | {} | {} | {} [{}] | {} |".format(
                r.id,
                ", ".join(f"`{m}`" for m in r.measures),
                ", ".join(r.factors) or "context only",
                _cell(_bands(r)),
                _cell(sdd),
                _cell(r.citation),
                r.strength,
                _cell(f"{r.band_basis} {r.derivation or ''}"),
            )
        )
    return head + "\n".join(rows) + "\n"


def red_flags_table() -> str:
    """Return the Markdown table of the red-flag questions."""
    flags = red_flags()
    rows = [
        f"| `{f.id}` | {_cell(f.question)} | {_cell(f.reason)} | {f.urgency} | {f.source or 'section 10'} |"
        + (f" under {f.max_age + 1} only |" if f.max_age is not None else " all |")
        for f in flags.flags
    ]
    head = "| id | question | reason given | urgency | source | asked of |\n|---|---|---|---|---|---|\n"
    return head + "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(rules_table())
    print(red_flags_table())
