"""Reading and writing files other tools use: OpenSim TRC and MOT, and CSV tables."""
