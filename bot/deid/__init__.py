"""The parts of the de-identifier that bot/scrub.py puts together: patterns and word
lists, context-free spans, names, towns."""
