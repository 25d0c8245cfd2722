"""The My handwriting tab and the controller that keeps, saves and learns from the user's
samples."""
