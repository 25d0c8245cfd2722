"""Handwriting as the model reads it: a drawing canvas reduced to MNIST's 28×28 (centre,
scale, deskew, stroke width), the preprocessing versions (which one a dataset gets), and
drawn-looking copies of training digits."""
