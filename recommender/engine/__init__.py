"""The engine: screening and planning decide, explaining then puts the decisions into words,
and `recommending` assembles the outcome. Imports only the model."""
