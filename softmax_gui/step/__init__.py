"""The "Inside one step" tab: one gradient step with every stage beside its formula."""
