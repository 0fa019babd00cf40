"""Outputs of an analysis: the self-contained HTML report and the annotated overlay video.

``html.write_report`` and ``overlay.write_overlay`` are the entry points; ``spec`` says what each
test shows; ``geometry``, ``draw``, ``text``, ``keyframes``, ``plots`` and ``encode`` are the
reusable pieces (see docs/report.md). Nothing is imported here, so importing one piece does not
pull in matplotlib or the video encoder.
"""
