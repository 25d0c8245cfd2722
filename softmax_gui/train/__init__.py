"""The Train tab: training controls, live curves, the runs table and history, the weight
templates."""
