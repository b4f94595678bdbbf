"""The model: the answers, the shapes of the declarative files, the compiled ruleset and the
outcome. Plain pydantic models and dataclasses; this layer imports nothing else of ours."""
