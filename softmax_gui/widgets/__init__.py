"""Pieces more than one tab uses: image conversions, the status bar's file notice and the
keyboard's Tab order."""
