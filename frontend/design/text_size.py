"""The text sizes the design supports (percent of the base size; bianxue.css reads ``--text-scale``)."""

SCALES = (100, 125, 150, 175, 200)
