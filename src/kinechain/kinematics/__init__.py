"""Angles, positions and events computed from a cleaned PoseSeries."""
