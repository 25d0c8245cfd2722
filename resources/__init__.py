"""Bundled data (MNIST, the shipped model, icons); installed as ``softmax_gui_resources``."""
