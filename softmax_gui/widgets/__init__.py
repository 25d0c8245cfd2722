"""Pieces more than one tab uses: image conversions and the status bar's file notice."""
