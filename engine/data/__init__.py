"""Data in and out: datasets (IDX folders, recognised and cached), model and sample files,
the bundled resources, and the checks made where data enters the engine."""
