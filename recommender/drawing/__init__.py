"""Figures drawn from poses: the fixed skeleton, where each pose puts it, and the SVG.

Plain Python over the model; nothing here knows the web.
"""
