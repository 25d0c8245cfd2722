"""The app's colours, in one place, chosen to stay distinguishable with the common
colour-vision deficiencies (protanopia, deuteranopia, tritanopia).

Categorical colours come from Okabe & Ito's palette ("Color Universal Design", 2008), which
was designed for exactly that; the diverging maps run from blue to vermillion through a
neutral middle, never red against green. Where two things must be told apart, the app also
uses a second cue (line style, frame style or a word), so colour is never the only one.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

#: Okabe–Ito: black-free, in the order the run curves use them.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#7F7F7F",  # grey
)

#: Evidence and weights: for a class (vermillion) and against it (blue).
FOR_COLOUR = QColor(213, 94, 0)
AGAINST_COLOUR = QColor(0, 114, 178)
#: The true class of an example (blue) and the class the model read (vermillion/orange).
TRUE_COLOUR = QColor(0, 114, 178)
PREDICTED_COLOUR = QColor(213, 94, 0)
#: Something the user must look at (a conflicting label): vermillion, with a word beside it.
WARNING_COLOUR = QColor(213, 94, 0)
