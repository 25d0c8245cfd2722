"""Training as a generator of progress records: the configuration, the SGD and L-BFGS-B
optimizers, the bookkeeping every run shares, and on-the-fly augmentation."""
