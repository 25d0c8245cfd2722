"""Personal adaptation: one writer's corrected drawings, the model adapted to them, and
honest cross-validated figures for it."""
