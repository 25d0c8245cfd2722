"""The Draw tab: the canvas, and what the model sees and thinks of the drawing."""
