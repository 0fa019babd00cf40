"""Clinical reasoning: intake and red flags, findings along the kinetic chain, plan, reassessment."""
