"""The plan as a PDF, rendered in separate processes."""
