"""Signal cleaning: gap filling, zero-lag low-pass filtering, masking and left/right swap repair."""

from kinechain.signal.clean import clean_pose, fill_gaps, lowpass, mask_low_visibility
from kinechain.signal.swaps import repair_leg_swaps

__all__ = ["clean_pose", "fill_gaps", "lowpass", "mask_low_visibility", "repair_leg_swaps"]
