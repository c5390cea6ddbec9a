"""Recording a concern: the recorder's signed-in area, the guided "Record a concern" form
(its shell, its wizard, one module per step in steps/), the body map, and the page shown
after sending."""
